import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getCircuitOpenError } from '../../src/common/circuit-open-error.js';
import { installInterception, uninstallInterception } from '../../src/intercept/index.js';
import { configureRegistry } from '../../src/providers/global-registry.js';
import type { Provider } from '../../src/providers/provider.js';
import type { ProviderRegistry } from '../../src/providers/registry.js';
import { ATTR } from '../../src/telemetry/metric-names.js';
import { recordHttp2Span } from '../../src/telemetry/tracing/http2-spans.js';
import { setPluginTracerProvider } from '../../src/telemetry/tracing/plugin-tracer.js';

/**
 * node:http2 client sessions, in this process against a real HTTP/2 server on loopback: streams
 * to a provider are admitted, observed (HTTP and gRPC status, caller closes, declared gRPC
 * deadlines), answered locally while the circuit is open (the 400 reply; gRPC grpc-status 9),
 * and get a span of their own.
 */
type Answer = { status?: number; grpc?: number; hang?: boolean; delayMs?: number };
let server: http2.Http2Server;
let origin = '';
let next: Answer = {};
let hits = 0;
let registry: ProviderRegistry;
let provider: Provider;
const exporter = new InMemorySpanExporter();
const tracerProvider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

beforeAll(async () => {
  server = http2.createServer();
  server.on('stream', (stream, headers) => {
    hits++;
    stream.on('error', () => undefined);
    stream.resume();
    const answer = next;
    if (answer.hang) return;
    const respond = (): void => {
      if (stream.closed) return;
      if (String(headers['content-type']).startsWith('application/grpc')) {
        stream.respond(
          { ':status': 200, 'content-type': 'application/grpc', 'grpc-status': String(answer.grpc ?? 0) },
          { endStream: true },
        );
        return;
      }
      stream.respond({ ':status': answer.status ?? 200, 'content-type': 'application/json' });
      stream.end(answer.status === undefined || answer.status < 400 ? '{"ok":true}' : '{"message":"down"}');
    };
    if (answer.delayMs === undefined) respond();
    else setTimeout(respond, answer.delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  installInterception();
  setPluginTracerProvider(tracerProvider);
});

afterAll(async () => {
  uninstallInterception();
  setPluginTracerProvider(undefined);
  await tracerProvider.shutdown();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  registry = configureRegistry({
    providers: { 'aws.bedrock': { hosts: [new URL(origin).host] } },
    server: false,
  });
  provider = registry.getOrCreateProvider('aws.bedrock');
  next = {};
  exporter.reset();
});

interface Result {
  status?: number;
  grpcStatus?: string;
  headers?: http2.IncomingHttpHeaders;
  body: string;
  error?: Error;
}

function call(
  options: { grpc?: boolean; headers?: http2.OutgoingHttpHeaders; closeAfterMs?: number } = {},
): Promise<Result> {
  return new Promise((resolve) => {
    const session = http2.connect(origin);
    session.on('error', () => undefined);
    const stream = session.request({
      ':method': 'POST',
      ':path': '/model/m/converse',
      'content-type': options.grpc ? 'application/grpc' : 'application/json',
      ...options.headers,
    });
    const result: Result = { body: '' };
    stream.on('response', (headers) => {
      result.status = Number(headers[':status']);
      result.headers = headers;
      const grpc = headers['grpc-status'];
      if (typeof grpc === 'string') result.grpcStatus = grpc;
    });
    stream.on('trailers', (trailers) => {
      const grpc = trailers['grpc-status'];
      if (typeof grpc === 'string') result.grpcStatus = grpc;
    });
    stream.on('data', (chunk: Buffer) => {
      result.body += chunk.toString();
    });
    stream.on('error', (error) => {
      result.error = error;
    });
    stream.on('close', () => {
      session.close();
      resolve(result);
    });
    if (options.closeAfterMs !== undefined)
      setTimeout(() => stream.close(http2.constants.NGHTTP2_CANCEL), options.closeAfterMs);
    stream.end('{}');
  });
}

const outcomes = (): Record<string, number> => provider.getHealthMetrics().outcomes;

describe('HTTP/2 streams to a provider', () => {
  it('are recorded, and five provider errors open the circuit', async () => {
    next = { status: 503 };
    for (let i = 0; i < 5; i++) expect((await call()).status).toBe(503);
    expect(outcomes().provider_error).toBe(5);
    expect(provider.breaker.state).toBe('open');
  });

  it('while open, are answered locally with the 400 reply, never reaching the server', async () => {
    provider.breaker.forceOpen(60_000);
    const before = hits;
    const reply = await call();
    expect(hits).toBe(before);
    expect(reply.status).toBe(400);
    expect(reply.headers).toMatchObject({ 'x-should-retry': 'false', 'x-provider-health': 'circuit-open' });
    expect(reply.headers?.['retry-after']).toBeUndefined();
    expect(JSON.parse(reply.body)).toMatchObject({
      provider_health: { circuit: 'open', provider: 'aws.bedrock' },
    });
    expect(outcomes().rejected).toBe(1);
  });

  it('gRPC: classified by grpc-status (14 trips, 8 is rate limited), answered locally with grpc-status 9', async () => {
    next = { grpc: 8 };
    await call({ grpc: true });
    expect(outcomes().rate_limited).toBe(1);
    next = { grpc: 14 };
    for (let i = 0; i < 5; i++) expect((await call({ grpc: true })).grpcStatus).toBe('14');
    expect(provider.breaker.state).toBe('open');
    const before = hits;
    const local = await call({ grpc: true });
    expect(hits).toBe(before);
    expect(local.grpcStatus).toBe('9');
    expect(local.headers).toMatchObject({
      'x-provider-health': 'circuit-open',
      'x-provider-health-provider': 'aws.bedrock',
    });
    const error = getCircuitOpenError({ metadata: { get: (key: string) => [local.headers?.[key]] } });
    expect(error?.provider).toBe('aws.bedrock');
  });

  it("a caller's early close is canceled; a close after the declared gRPC deadline is a timeout", async () => {
    next = { hang: true };
    await call({ closeAfterMs: 30 });
    expect(outcomes().canceled).toBe(1);
    await call({ grpc: true, headers: { 'grpc-timeout': '100m' }, closeAfterMs: 150 });
    expect(outcomes().timeout).toBe(1);
    await call({ grpc: true, headers: { 'grpc-timeout': '5S' }, closeAfterMs: 30 });
    expect(outcomes().canceled).toBe(2);
    expect(outcomes().provider_error).toBe(0);
  });

  it('each gets a client span with the provider, the status and the outcome', async () => {
    const off = registry.events.on('record', recordHttp2Span);
    next = { status: 503 };
    await call();
    off();
    await tracerProvider.forceFlush();
    const span = exporter.getFinishedSpans().at(-1);
    expect(span?.attributes).toMatchObject({
      [ATTR.provider]: 'aws.bedrock',
      [ATTR.outcome]: 'provider_error',
      [ATTR.statusCode]: 503,
      'network.protocol.version': '2',
      'http.request.method': 'POST',
    });
    expect(span?.attributes['url.full']).toBe(`${origin}/model/m/converse`);
  });
});
