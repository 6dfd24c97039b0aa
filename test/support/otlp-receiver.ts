import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { gunzipSync } from 'node:zlib';
import {
  type Server as GrpcServer,
  Server as GrpcServerClass,
  type handleUnaryCall,
  Metadata,
  ServerCredentials,
  type ServiceDefinition,
} from '@grpc/grpc-js';

/**
 * A loopback OTLP receiver for the three protocols of the OTLP exporters: HTTP with JSON bodies
 * (`OTEL_EXPORTER_OTLP_PROTOCOL=http/json`), HTTP with protobuf bodies (the default), and gRPC. Protobuf is decoded with the OpenTelemetry project's own
 * message definitions (the protobufjs module it generated from opentelemetry-proto, shipped in
 * @opentelemetry/otlp-transformer 0.52, installed as `otlp-proto-definitions`), so what the test
 * reads is what a Collector would read. Every export is kept with how it came, normalized to the
 * OTLP/JSON shape (camelCase fields, ids in hex).
 */
export type Protocol = 'http/json' | 'http/protobuf' | 'grpc';
export type Signal = 'metrics' | 'traces';

export interface OtlpValue {
  stringValue?: string;
  intValue?: number | string;
  boolValue?: boolean;
  doubleValue?: number;
  arrayValue?: { values?: OtlpValue[] };
}
export interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}
export interface OtlpScope {
  name: string;
  version?: string;
}
export interface OtlpSpan {
  name: string;
  attributes?: OtlpAttribute[];
  status?: { code?: number };
  events?: { name: string }[];
}
interface OtlpResource {
  attributes?: OtlpAttribute[];
}
// A type, not an interface: callers may read it as a plain Record.
type ExportRequest = {
  resourceSpans?: { resource?: OtlpResource; scopeSpans?: { scope?: OtlpScope; spans?: OtlpSpan[] }[] }[];
  resourceMetrics?: {
    resource?: OtlpResource;
    scopeMetrics?: { scope?: OtlpScope; metrics?: { name: string }[] }[];
  }[];
};

export interface OtlpExport {
  signal: Signal;
  protocol: Protocol;
  /** The HTTP path, or the gRPC method path. */
  path: string;
  /** Request headers (HTTP) or metadata (gRPC), lower-cased. */
  headers: Record<string, string>;
  body: ExportRequest;
}

interface ProtoType {
  decode(data: Uint8Array): unknown;
  encode(message: object): { finish(): Uint8Array };
  toObject(message: unknown, options: object): ExportRequest;
}
interface ProtoRoot {
  opentelemetry: {
    proto: {
      collector: { metrics: { v1: Record<string, ProtoType> }; trace: { v1: Record<string, ProtoType> } };
    };
  };
}

const proto = createRequire(import.meta.url)(
  'otlp-proto-definitions/build/src/generated/root.js',
) as ProtoRoot;
const collector = proto.opentelemetry.proto.collector;
const MESSAGES: Record<Signal, { request: ProtoType; response: ProtoType; service: string }> = {
  metrics: {
    request: collector.metrics.v1.ExportMetricsServiceRequest as ProtoType,
    response: collector.metrics.v1.ExportMetricsServiceResponse as ProtoType,
    service: 'opentelemetry.proto.collector.metrics.v1.MetricsService',
  },
  traces: {
    request: collector.trace.v1.ExportTraceServiceRequest as ProtoType,
    response: collector.trace.v1.ExportTraceServiceResponse as ProtoType,
    service: 'opentelemetry.proto.collector.trace.v1.TraceService',
  },
};

const ID_FIELDS = new Set(['traceId', 'spanId', 'parentSpanId']);

/** protobuf -> the OTLP/JSON shape: camelCase (the generated code's names), 64-bit ints as strings, ids as hex. */
function decode(signal: Signal, data: Uint8Array): ExportRequest {
  const type = MESSAGES[signal].request;
  const object = type.toObject(type.decode(data), { longs: String, enums: Number, bytes: Array });
  return JSON.parse(
    JSON.stringify(object, (key, value: unknown) =>
      ID_FIELDS.has(key) && Array.isArray(value) ? Buffer.from(value as number[]).toString('hex') : value,
    ),
  ) as ExportRequest;
}

function signalOf(path: string): Signal | undefined {
  if (path.endsWith('/v1/metrics') || path.includes('metrics')) return 'metrics';
  if (path.endsWith('/v1/traces') || path.includes('trace')) return 'traces';
  return undefined;
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers))
    if (value !== undefined) flat[key] = Array.isArray(value) ? value.join(',') : value;
  return flat;
}

export class OtlpReceiver {
  readonly exports: OtlpExport[] = [];
  private waiters: Array<() => void> = [];

  private readonly listeners: ((exported: OtlpExport) => void)[] = [];

  private constructor(
    private readonly http: Server,
    private readonly grpc: GrpcServer,
    /** Base URL of the OTLP/HTTP receiver (`OTEL_EXPORTER_OTLP_ENDPOINT`). */
    readonly httpUrl: string,
    /** URL of the OTLP/gRPC receiver. */
    readonly grpcUrl: string,
  ) {}

  /** `http://127.0.0.1:PORT`: the OTLP/HTTP endpoint, the value of OTEL_EXPORTER_OTLP_ENDPOINT. */
  get url(): string {
    return this.httpUrl;
  }

  get port(): number {
    return Number(new URL(this.httpUrl).port);
  }

  /** Called for every export after it is stored; an error thrown here answers the export with an error. */
  onExport(listener: (exported: OtlpExport) => void): void {
    this.listeners.push(listener);
  }

  static async start(): Promise<OtlpReceiver> {
    let receiver: OtlpReceiver | undefined;
    const keep = (entry: OtlpExport): void => receiver?.keep(entry);
    const http = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const path = request.url ?? '';
        const signal = signalOf(path);
        const json = (request.headers['content-type'] ?? '').includes('json');
        if (signal === undefined) {
          response.statusCode = 404;
          response.end();
          return;
        }
        try {
          let raw = Buffer.concat(chunks);
          if (request.headers['content-encoding'] === 'gzip') raw = gunzipSync(raw);
          keep({
            signal,
            protocol: json ? 'http/json' : 'http/protobuf',
            path,
            headers: flatHeaders(request.headers),
            body: json ? (JSON.parse(raw.toString('utf8')) as ExportRequest) : decode(signal, raw),
          });
        } catch (error) {
          response.statusCode = error instanceof SyntaxError ? 400 : 500;
          response.end(String(error));
          return;
        }
        response.setHeader('content-type', json ? 'application/json' : 'application/x-protobuf');
        response.end(json ? '{}' : Buffer.from(MESSAGES[signal].response.encode({}).finish()));
      });
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const grpc = new GrpcServerClass();
    for (const signal of ['metrics', 'traces'] as const) {
      const { response, service } = MESSAGES[signal];
      const definition: ServiceDefinition = {
        Export: {
          path: `/${service}/Export`,
          requestStream: false,
          responseStream: false,
          requestSerialize: (value: Uint8Array) => Buffer.from(value),
          requestDeserialize: (bytes: Buffer) => bytes,
          responseSerialize: (value: object) => Buffer.from(response.encode(value).finish()),
          responseDeserialize: (bytes: Buffer) => response.decode(bytes),
        },
      };
      const exportCall: handleUnaryCall<Buffer, object> = (call, callback) => {
        const headers: Record<string, string> = {};
        for (const [key, value] of Object.entries(call.metadata.getMap())) headers[key] = String(value);
        keep({
          signal,
          protocol: 'grpc',
          path: `/${service}/Export`,
          headers,
          body: decode(signal, call.request),
        });
        callback(null, {}, new Metadata());
      };
      grpc.addService(definition, { Export: exportCall });
    }
    const grpcPort = await new Promise<number>((resolve, reject) =>
      grpc.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, port) =>
        error ? reject(error) : resolve(port),
      ),
    );
    const httpPort = (http.address() as { port: number }).port;
    receiver = new OtlpReceiver(http, grpc, `http://127.0.0.1:${httpPort}`, `http://127.0.0.1:${grpcPort}`);
    return receiver;
  }

  private keep(entry: OtlpExport): void {
    this.exports.push(entry);
    for (const listener of this.listeners) listener(entry);
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  clear(): void {
    this.exports.length = 0;
  }

  /** Resolves once `check()` holds, re-checked at every export that arrives (no polling). */
  async until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!check()) {
      const left = end - Date.now();
      if (left <= 0) throw new Error(`OTLP receiver: no ${what} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, left).unref();
      });
    }
  }

  of(signal: Signal): OtlpExport[] {
    return this.exports.filter((entry) => entry.signal === signal);
  }

  /** Every span received, or those of one instrumentation scope. */
  spans(scope?: string): OtlpSpan[] {
    return this.of('traces').flatMap((entry) =>
      (entry.body.resourceSpans ?? []).flatMap((rs) =>
        (rs.scopeSpans ?? []).flatMap((ss) =>
          scope === undefined || ss.scope?.name === scope ? (ss.spans ?? []) : [],
        ),
      ),
    );
  }

  metricNames(): Set<string> {
    return new Set(
      this.of('metrics').flatMap((entry) =>
        (entry.body.resourceMetrics ?? []).flatMap((rm) =>
          (rm.scopeMetrics ?? []).flatMap((sm) => (sm.metrics ?? []).map((metric) => metric.name)),
        ),
      ),
    );
  }

  /** Every resource and scope the exports carried, per signal. */
  resources(signal: Signal): OtlpAttribute[][] {
    return this.of(signal).flatMap((entry) =>
      (signal === 'metrics' ? (entry.body.resourceMetrics ?? []) : (entry.body.resourceSpans ?? [])).map(
        (r) => r.resource?.attributes ?? [],
      ),
    );
  }

  scopes(signal: Signal): OtlpScope[] {
    return this.of(signal).flatMap((entry) =>
      signal === 'metrics'
        ? (entry.body.resourceMetrics ?? []).flatMap((rm) =>
            (rm.scopeMetrics ?? []).map((sm) => sm.scope ?? { name: '' }),
          )
        : (entry.body.resourceSpans ?? []).flatMap((rs) =>
            (rs.scopeSpans ?? []).map((ss) => ss.scope ?? { name: '' }),
          ),
    );
  }

  async close(): Promise<void> {
    await new Promise((resolve) => this.http.close(resolve));
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.grpc.tryShutdown(() => resolve()));
  }
}

/** A span's or resource's attribute as a string or number. */
export function attr(
  attributes: OtlpAttribute[] | undefined,
  key: string,
): string | number | boolean | undefined {
  const value = attributes?.find((a) => a.key === key)?.value;
  if (value === undefined) return undefined;
  if (value.intValue !== undefined) return Number(value.intValue);
  return value.stringValue ?? value.boolValue ?? value.doubleValue;
}

/** Starts a receiver on loopback: HTTP (`url`) and gRPC (`grpcUrl`) on ports of their own. */
export function startOtlpReceiver(): Promise<OtlpReceiver> {
  return OtlpReceiver.start();
}
