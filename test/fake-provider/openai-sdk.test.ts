import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProvider, startFakeProvider } from '../../fake-provider/index.js';

describe('fake provider with the official OpenAI SDK', () => {
  let fake: FakeProvider;
  let client: OpenAI;

  beforeAll(async () => {
    fake = await startFakeProvider({ flavor: 'openai' });
    client = new OpenAI({ baseURL: `${fake.url}/v1`, apiKey: 'test', maxRetries: 0 });
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.close());

  it('answers a chat completion', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(completion.choices[0]?.message.content).toBe('Hello from the fake provider.');
    expect(completion.model).toBe('gpt-4o-mini');
    expect(fake.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      route: 'openai.chat',
    });
    expect(fake.requests[0]?.headers.authorization).toBe('Bearer test');
  });

  it('streams a chat completion to [DONE], with usage when asked', async () => {
    fake.script([{ kind: 'ok', text: 'one two three' }]);
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let finish: string | null | undefined;
    let totalTokens: number | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      totalTokens = chunk.usage?.total_tokens ?? totalTokens;
    }
    expect(text).toBe('one two three');
    expect(finish).toBe('stop');
    expect(totalTokens).toBe(13);
    expect(fake.requests[0]?.stream).toBe(true);
  });

  it('answers the Responses API, plain and streamed', async () => {
    const response = await client.responses.create({ model: 'gpt-4o-mini', input: 'hi' });
    expect(response.output_text).toBe('Hello from the fake provider.');
    const final = await client.responses.stream({ model: 'gpt-4o-mini', input: 'hi' }).finalResponse();
    expect(final.output_text).toBe('Hello from the fake provider.');
    expect(final.status).toBe('completed');
  });

  it('lists models', async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toContain('gpt-4o-mini');
  });

  it('surfaces a scripted 429 as RateLimitError and quota as its own code', async () => {
    fake.script([
      { status: 429, headers: { 'retry-after': '3' } },
      { status: 429, type: 'insufficient_quota' },
    ]);
    const limited = await client.models.list().catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
    expect(limited).toMatchObject({ status: 429, code: 'rate_limit_exceeded', type: 'requests' });
    expect((limited as InstanceType<typeof OpenAI.RateLimitError>).headers.get('retry-after')).toBe('3');
    const quota = await client.models.list().catch((error: unknown) => error);
    expect(quota).toMatchObject({ status: 429, code: 'insufficient_quota' });
  });

  it('maps 500, 503 and 401 to the SDK classes', async () => {
    fake.script([{ status: 500 }, { status: 503 }, { status: 401 }]);
    const ask = () => client.chat.completions.create({ model: 'm', messages: [] }).catch((e: unknown) => e);
    expect(await ask()).toBeInstanceOf(OpenAI.InternalServerError);
    expect(await ask()).toMatchObject({ status: 503 });
    expect(await ask()).toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('retries a 500 by itself when retries are on, and stops on x-should-retry: false', async () => {
    const retrying = new OpenAI({ baseURL: `${fake.url}/v1`, apiKey: 'test', maxRetries: 1 });
    fake.script([{ status: 500, headers: { 'retry-after-ms': '10' } }]);
    await expect(retrying.models.list()).resolves.toBeDefined();
    expect(fake.requestCount).toBe(2);
    expect(fake.requests[1]?.headers['x-stainless-retry-count']).toBe('1');

    fake.reset();
    fake.script([{ status: 500, headers: { 'x-should-retry': 'false' } }]);
    await expect(retrying.models.list()).rejects.toBeInstanceOf(OpenAI.InternalServerError);
    expect(fake.requestCount).toBe(1);
  });

  it('reports a reset mid-stream to the stream consumer', async () => {
    fake.script([{ kind: 'reset-mid-body', afterChunks: 2 }]);
    const stream = await client.chat.completions.create({ model: 'm', messages: [], stream: true });
    const seen: string[] = [];
    const consume = async () => {
      for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? '');
    };
    // Not an SDK error class: undici's body error comes through as is, and is never retried.
    await expect(consume()).rejects.toMatchObject({ message: 'terminated', cause: { code: 'ECONNRESET' } });
    expect(seen).toEqual(['', 'Hello']);
  });

  it('throws APIError for an error event inside a 200 stream', async () => {
    fake.script([{ kind: 'stream-error', afterChunks: 1, type: 'server_error', message: 'boom' }]);
    const stream = await client.chat.completions.create({ model: 'm', messages: [], stream: true });
    const consume = async () => {
      for await (const _chunk of stream) {
        // read to the end
      }
    };
    await expect(consume()).rejects.toMatchObject({ message: expect.stringContaining('boom') });
  });

  it('times out on a hang with the SDK timeout', async () => {
    fake.script([{ kind: 'hang' }]);
    const started = Date.now();
    await expect(client.models.list({ timeout: 50 })).rejects.toBeInstanceOf(
      OpenAI.APIConnectionTimeoutError,
    );
    // The 50 ms asked for, not the SDK's default of 10 minutes: a generous bound tells them apart.
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
