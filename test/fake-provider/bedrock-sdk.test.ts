import {
  BedrockRuntimeClient,
  ConverseCommand,
  InvokeModelCommand,
  ThrottlingException,
} from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProvider, startFakeProvider } from '../../fake-provider/index.js';

const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' };
const converse = new ConverseCommand({
  modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
  messages: [{ role: 'user', content: [{ text: 'hi' }] }],
});

describe('fake provider with the AWS SDK for Bedrock Runtime', () => {
  let fake: FakeProvider;
  let overH2: BedrockRuntimeClient;
  let overH1: BedrockRuntimeClient;

  beforeAll(async () => {
    fake = await startFakeProvider({ flavor: 'bedrock' });
    // The default request handler speaks HTTP/2 (NodeHttp2Handler); an http:// endpoint is h2c.
    overH2 = new BedrockRuntimeClient({
      region: 'us-east-1',
      endpoint: fake.h2Url,
      credentials,
      maxAttempts: 1,
    });
    overH1 = new BedrockRuntimeClient({
      region: 'us-east-1',
      endpoint: fake.url,
      credentials,
      maxAttempts: 1,
      requestHandler: new NodeHttpHandler(),
    });
  });
  afterEach(() => fake.reset());
  afterAll(async () => {
    overH2.destroy();
    overH1.destroy();
    await fake.close();
  });

  it('answers Converse over HTTP/2 with the default handler, and over HTTP/1.1', async () => {
    for (const client of [overH2, overH1]) {
      const answer = await client.send(converse);
      expect(answer.output?.message?.content).toEqual([{ text: 'Hello from the fake provider.' }]);
      expect(answer.stopReason).toBe('end_turn');
      expect(answer.usage?.outputTokens).toBe(5);
    }
    expect(fake.requests.map((r) => [r.transport, r.route])).toEqual([
      ['http2', 'bedrock.converse'],
      ['http1', 'bedrock.converse'],
    ]);
    expect(fake.requests[0]?.path).toBe('/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse');
    expect(fake.requests[0]?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 /);
  });

  it('answers InvokeModel with the model’s own body (Claude’s Messages shape)', async () => {
    const answer = await overH2.send(
      new InvokeModelCommand({
        modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
        contentType: 'application/json',
        body: JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 16, messages: [] }),
      }),
    );
    const body = JSON.parse(new TextDecoder().decode(answer.body));
    expect(body).toMatchObject({ type: 'message', model: 'anthropic.claude-3-haiku-20240307-v1:0' });
    expect(body.content).toEqual([{ type: 'text', text: 'Hello from the fake provider.' }]);
  });

  it('names errors as Bedrock does (x-amzn-errortype): the SDK builds its modeled exceptions', async () => {
    fake.script([
      { status: 429 },
      { status: 503, message: 'down' },
      { status: 500, type: 'ModelNotReadyException' },
    ]);
    await expect(overH2.send(converse)).rejects.toBeInstanceOf(ThrottlingException);
    await expect(overH1.send(converse)).rejects.toMatchObject({
      name: 'ServiceUnavailableException',
      message: 'down',
      $metadata: { httpStatusCode: 503 },
    });
    await expect(overH2.send(converse)).rejects.toMatchObject({ name: 'ModelNotReadyException' });
  });
});
