import { GoogleGenAI } from '@google/genai';
import { Mistral } from '@mistralai/mistralai';
import { CohereClientV2, CohereError } from 'cohere-ai';
import Groq from 'groq-sdk';
import Replicate from 'replicate';
import Together from 'together-ai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProvider, startFakeProvider } from '../../fake-provider/index.js';

const TEXT = 'Hello from the fake provider.';
const messages = [{ role: 'user' as const, content: 'hi' }];

// Each SDK against a fake of the provider it speaks to: the answers they parse, the errors they build.
describe('fake provider with the other providers’ SDKs', () => {
  const fakes: Record<string, FakeProvider> = {};
  beforeAll(async () => {
    for (const flavor of ['openai', 'cohere', 'google', 'replicate'] as const)
      fakes[flavor] = await startFakeProvider({ flavor });
  });
  afterEach(() => {
    for (const fake of Object.values(fakes)) fake.reset();
  });
  afterAll(() => Promise.all(Object.values(fakes).map((fake) => fake.close())));
  const fake = (flavor: string) => fakes[flavor] as FakeProvider;

  it('cohere-ai v2 chat: answer and error', async () => {
    const cohere = new CohereClientV2({ token: 'test', environment: fake('cohere').url });
    const answer = await cohere.chat({ model: 'command-r', messages });
    expect(answer.message.content).toEqual([{ type: 'text', text: TEXT }]);
    expect(answer.finishReason).toBe('COMPLETE');
    fake('cohere').script([{ status: 500, message: 'cohere is down' }]);
    const error = await cohere.chat({ model: 'command-r', messages }, { maxRetries: 0 }).catch((e) => e);
    expect(error).toBeInstanceOf(CohereError);
    expect(error).toMatchObject({ statusCode: 500, body: { message: 'cohere is down' } });
    expect(fake('cohere').requests.map((r) => r.route)).toEqual(['cohere.chat', 'cohere.chat']);
  });

  it('@google/genai generateContent: answer and error (Google’s error shape)', async () => {
    const genai = new GoogleGenAI({ apiKey: 'test', httpOptions: { baseUrl: fake('google').url } });
    const answer = await genai.models.generateContent({ model: 'gemini-2.0-flash', contents: 'hi' });
    expect(answer.text).toBe(TEXT);
    expect(fake('google').requests[0]).toMatchObject({
      route: 'google.generateContent',
      path: '/v1beta/models/gemini-2.0-flash:generateContent',
    });
    fake('google').script([{ status: 503 }]);
    const error = await genai.models
      .generateContent({ model: 'gemini-2.0-flash', contents: 'hi' })
      .catch((e) => e);
    expect(error).toMatchObject({ status: 503 });
    expect(JSON.parse(error.message)).toMatchObject({ error: { code: 503, status: 'UNAVAILABLE' } });
  });

  it('replicate: create and get a prediction, and an error', async () => {
    const replicate = new Replicate({ auth: 'test', baseUrl: `${fake('replicate').url}/v1` });
    const created = await replicate.predictions.create({ version: 'abc', input: { prompt: 'hi' } });
    expect(created).toMatchObject({ status: 'starting', version: 'abc', input: { prompt: 'hi' } });
    const got = await replicate.predictions.get(created.id);
    expect(got).toMatchObject({ id: created.id, status: 'succeeded', output: [TEXT] });
    fake('replicate').script([{ status: 422, message: 'bad input' }]);
    await expect(replicate.predictions.create({ version: 'abc', input: {} })).rejects.toThrow(
      /status 422.*bad input/,
    );
  });

  it('OpenAI-compatible APIs on the openai flavor: groq (/openai/v1), together, mistral', async () => {
    const url = fake('openai').url;
    const groq = new Groq({ apiKey: 'test', baseURL: url, maxRetries: 0 });
    const together = new Together({ apiKey: 'test', baseURL: `${url}/v1`, maxRetries: 0 });
    const mistral = new Mistral({ apiKey: 'test', serverURL: url });
    const fromGroq = await groq.chat.completions.create({ model: 'llama-3.1-8b-instant', messages });
    const fromTogether = await together.chat.completions.create({ model: 'meta-llama/Llama-3-8b', messages });
    const fromMistral = await mistral.chat.complete({ model: 'mistral-small-latest', messages });
    expect([
      fromGroq.choices[0]?.message.content,
      fromTogether.choices[0]?.message?.content,
      fromMistral.choices?.[0]?.message?.content,
    ]).toEqual([TEXT, TEXT, TEXT]);
    expect(fake('openai').requests.map((r) => r.path)).toEqual([
      '/openai/v1/chat/completions',
      '/v1/chat/completions',
      '/v1/chat/completions',
    ]);
    fake('openai').script([{ status: 503 }]);
    await expect(mistral.chat.complete({ model: 'mistral-small-latest', messages })).rejects.toMatchObject({
      statusCode: 503,
    });
  });
});
