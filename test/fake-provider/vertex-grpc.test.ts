import { v1 } from '@google-cloud/aiplatform';
import { credentials, status } from '@grpc/grpc-js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProvider, startFakeProvider } from '../../fake-provider/index.js';

const request = {
  model: 'projects/p/locations/us-central1/publishers/google/models/gemini-2.0-flash',
  contents: [{ role: 'user', parts: [{ text: 'hi' }] }],
};

// google-auth-library, asked for the universe domain, would otherwise probe the GCE metadata server.
process.env.METADATA_SERVER_DETECTION = 'none';

describe('fake provider with Vertex AI over gRPC (@google-cloud/aiplatform)', () => {
  let fake: FakeProvider;
  let client: v1.PredictionServiceClient;

  beforeAll(async () => {
    fake = await startFakeProvider({ flavor: 'google' });
    // An insecure channel to loopback: no credentials, no metadata-server lookup.
    client = new v1.PredictionServiceClient({
      apiEndpoint: '127.0.0.1',
      port: fake.h2Port,
      sslCreds: credentials.createInsecure(),
    });
  });
  afterEach(() => fake.reset());
  afterAll(async () => {
    await client.close();
    await fake.close();
  });

  it('answers GenerateContent with one candidate holding the text', async () => {
    const [answer] = await client.generateContent(request);
    expect(answer.candidates?.[0]?.content?.parts?.[0]?.text).toBe('Hello from the fake provider.');
    expect(answer.candidates?.[0]?.finishReason).toBe('STOP');
    expect(fake.requests[0]).toMatchObject({
      transport: 'grpc',
      route: 'vertex.generateContent',
      path: '/google.cloud.aiplatform.v1.PredictionService/GenerateContent',
    });
  });

  it('fails with the grpc-status the behaviour names, else the one its HTTP status maps to', async () => {
    fake.script([
      { status: 503, message: 'overloaded, 100% busy' },
      { status: 429 },
      { status: 500 },
      { status: 500, grpcStatus: status.DATA_LOSS },
    ]);
    await expect(client.generateContent(request)).rejects.toMatchObject({
      code: status.UNAVAILABLE,
      details: 'overloaded, 100% busy',
    });
    await expect(client.generateContent(request)).rejects.toMatchObject({ code: status.RESOURCE_EXHAUSTED });
    await expect(client.generateContent(request)).rejects.toMatchObject({ code: status.INTERNAL });
    await expect(client.generateContent(request)).rejects.toMatchObject({ code: status.DATA_LOSS });
  });

  it('delays, and hangs until the call’s deadline', async () => {
    fake.script([{ kind: 'delay', ms: 30, andThen: { kind: 'ok', text: 'late' } }, { kind: 'hang' }]);
    const [late] = await client.generateContent(request);
    expect(late.candidates?.[0]?.content?.parts?.[0]?.text).toBe('late');
    await expect(client.generateContent(request, { timeout: 200 })).rejects.toMatchObject({
      code: status.DEADLINE_EXCEEDED,
    });
    expect(fake.requests[1]?.headers['grpc-timeout']).toMatch(/^\d+[mu]$/);
  });
});
