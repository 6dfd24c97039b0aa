import http2 from 'node:http2';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProvider, startFakeProvider } from '../../fake-provider/index.js';

interface H2Answer {
  status: number;
  headers: http2.IncomingHttpHeaders;
  body: string;
  trailers?: http2.IncomingHttpHeaders;
  rstCode?: number;
}

/** One request over a fresh h2c session (prior knowledge), read to its end or its reset. */
function h2Request(
  url: string,
  headers: http2.OutgoingHttpHeaders,
  body?: Buffer | string,
): Promise<H2Answer> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(url);
    session.on('error', reject);
    const stream = session.request(headers);
    const answer: H2Answer = { status: 0, headers: {}, body: '' };
    stream.on('response', (h) => {
      answer.status = Number(h[':status']);
      answer.headers = h;
    });
    stream.on('trailers', (t) => {
      answer.trailers = t;
    });
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      answer.body += chunk;
    });
    stream.on('error', () => undefined);
    stream.on('close', () => {
      answer.rstCode = stream.rstCode;
      session.close();
      resolve(answer);
    });
    stream.end(body);
  });
}

const chatHeaders = {
  ':method': 'POST',
  ':path': '/v1/chat/completions',
  'content-type': 'application/json',
};
const chatBody = JSON.stringify({ model: 'gpt-4o-mini', messages: [] });

describe('fake provider over HTTP/2 (h2c)', () => {
  let fake: FakeProvider;
  beforeAll(async () => {
    fake = await startFakeProvider({ flavor: 'openai' });
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.close());

  it('listens on a second port and answers the same routes', async () => {
    expect(fake.h2Url).toBe(`http://127.0.0.1:${fake.h2Port}`);
    expect(fake.h2Port).not.toBe(fake.port);
    const answer = await h2Request(fake.h2Url, chatHeaders, chatBody);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ object: 'chat.completion' });
    expect(fake.requests[0]).toMatchObject({ route: 'openai.chat', transport: 'http2', method: 'POST' });
  });

  it('shares one script, one log and one count with the HTTP/1.1 listener', async () => {
    fake.script([{ status: 503 }, { status: 429 }]);
    const overH2 = await h2Request(fake.h2Url, chatHeaders, chatBody);
    const overH1 = await fetch(`${fake.url}/v1/chat/completions`, { method: 'POST', body: chatBody });
    expect([overH2.status, overH1.status]).toEqual([503, 429]);
    expect(fake.requestCount).toBe(2);
    expect(fake.requests.map((r) => r.transport)).toEqual(['http2', 'http1']);
  });

  it('resets a stream with RST_STREAM (the session survives), and delays and hangs like HTTP/1.1', async () => {
    fake.script([{ kind: 'reset' }, { kind: 'delay', ms: 50, andThen: { status: 500 } }]);
    const reset = await h2Request(fake.h2Url, chatHeaders, chatBody);
    expect([reset.status, reset.rstCode]).toEqual([0, http2.constants.NGHTTP2_INTERNAL_ERROR]);
    const started = performance.now();
    const delayed = await h2Request(fake.h2Url, chatHeaders, chatBody);
    expect(delayed.status).toBe(500);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    fake.setDefault({ kind: 'hang' });
    const session = http2.connect(fake.h2Url);
    const stream = session.request(chatHeaders);
    let responded = false;
    stream.on('response', () => {
      responded = true;
    });
    stream.end(chatBody);
    while (fake.requests.length < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(fake.requests[2]?.behaviour).toBe('hang');
    expect([responded, stream.closed]).toEqual([false, false]);
    session.destroy();
  });

  it('answers unknown gRPC methods UNIMPLEMENTED (only the google flavor has gRPC methods)', async () => {
    const answer = await h2Request(
      fake.h2Url,
      {
        ':method': 'POST',
        ':path': '/google.cloud.aiplatform.v1.PredictionService/GenerateContent',
        'content-type': 'application/grpc',
        te: 'trailers',
      },
      Buffer.alloc(5),
    );
    expect(answer.status).toBe(200);
    expect(answer.headers['grpc-status']).toBe('12');
    expect(fake.requests[0]).toMatchObject({ transport: 'grpc', route: 'not_found' });
  });

  it('closes promptly with a hung HTTP/2 stream open', async () => {
    const other = await startFakeProvider({ flavor: 'openai' });
    other.setDefault({ kind: 'hang' });
    const session = http2.connect(other.h2Url);
    session.on('error', () => undefined);
    const stream = session.request(chatHeaders);
    stream.on('error', () => undefined);
    stream.end(chatBody);
    while (other.requestCount === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await other.close();
    await new Promise((resolve) => stream.once('close', resolve));
    expect(stream.closed).toBe(true);
  });
});
