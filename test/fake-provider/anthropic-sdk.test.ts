import Anthropic from '@anthropic-ai/sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProvider, startFakeProvider } from '../../fake-provider/index.js';

const params = {
  model: 'claude-sonnet-5-5',
  max_tokens: 64,
  messages: [{ role: 'user' as const, content: 'hi' }],
};

describe('fake provider with the official Anthropic SDK', () => {
  let fake: FakeProvider;
  let client: Anthropic;

  beforeAll(async () => {
    fake = await startFakeProvider({ flavor: 'anthropic' });
    client = new Anthropic({ baseURL: fake.url, apiKey: 'test', maxRetries: 0 });
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.close());

  it('answers a message', async () => {
    const message = await client.messages.create(params);
    expect(message.content).toEqual([{ type: 'text', text: 'Hello from the fake provider.' }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(fake.requests[0]).toMatchObject({ path: '/v1/messages', route: 'anthropic.messages' });
    // @anthropic-ai/sdk 1.x sends the API key as a bearer token.
    expect(fake.requests[0]?.headers.authorization).toBe('Bearer test');
    expect(fake.requests[0]?.headers['anthropic-version']).toBeDefined();
  });

  it('streams the documented event sequence and accumulates the final message', async () => {
    fake.script([{ kind: 'ok', text: 'streamed reply' }]);
    const stream = client.messages.stream(params);
    const types: string[] = [];
    stream.on('streamEvent', (event) => types.push(event.type));
    const final = await stream.finalMessage();
    expect(final.content).toEqual([{ type: 'text', text: 'streamed reply' }]);
    expect(final.usage.output_tokens).toBe(2);
    expect(types).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
  });

  it('lists models', async () => {
    const page = await client.models.list();
    expect(page.data.map((m) => m.id)).toContain('claude-sonnet-5-5');
  });

  it('surfaces 529 as APIError with status 529 and the overloaded_error body', async () => {
    fake.script([{ status: 529 }]);
    const error = await client.messages.create(params).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(error).toMatchObject({
      status: 529,
      error: { type: 'error', error: { type: 'overloaded_error' } },
    });
  });

  it('maps 429 and 401 to RateLimitError and AuthenticationError', async () => {
    fake.script([{ status: 429, headers: { 'retry-after': '5' } }, { status: 401 }]);
    const limited = await client.messages.create(params).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(Anthropic.RateLimitError);
    expect((limited as InstanceType<typeof Anthropic.RateLimitError>).headers?.get('retry-after')).toBe('5');
    await expect(client.messages.create(params)).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
  });

  it('raises an in-stream overloaded error event as APIError', async () => {
    fake.script([{ kind: 'stream-error', afterChunks: 3 }]);
    const stream = client.messages.stream(params);
    const error = await stream.finalMessage().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(error).toMatchObject({ error: { error: { type: 'overloaded_error' } } });
  });

  it('reports a reset mid-stream to the stream consumer', async () => {
    fake.script([{ kind: 'reset-mid-body', afterChunks: 4 }]);
    const stream = await client.messages.create({ ...params, stream: true });
    const types: string[] = [];
    const consume = async () => {
      for await (const event of stream) types.push(event.type);
    };
    await expect(consume()).rejects.toMatchObject({ message: 'terminated', cause: { code: 'ECONNRESET' } });
    expect(types).toEqual(['message_start', 'content_block_start', 'content_block_delta']);
  });

  it('shows a connection error for a reset before headers', async () => {
    fake.script([{ kind: 'reset' }]);
    await expect(client.messages.create(params)).rejects.toBeInstanceOf(Anthropic.APIConnectionError);
  });
});
