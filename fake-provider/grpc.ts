import { constants, type ServerHttp2Stream } from 'node:http2';
import { sleep } from './timers.js';
import type { Behaviour, ExtraHeaders } from './types.js';

/** One gRPC call being answered (HTTP/2, `content-type: application/grpc`). */
export interface GrpcExchange {
  /** The raw stream: trailers-only answers and RST_STREAM. */
  readonly stream: ServerHttp2Stream;
  /**
   * Headers, then (later) the body and trailers through the HTTP/2 compatibility response, which
   * owns the stream's trailers once it has sent the headers.
   */
  readonly response: {
    writeHead(status: number, headers: Record<string, string>): unknown;
    flushHeaders(): void;
    addTrailers(trailers: Record<string, string>): void;
    end(chunk?: Buffer): unknown;
  };
  /** Aborted when the client goes away or the server closes. */
  readonly signal: AbortSignal;
  /** The method exists (else every answer is UNIMPLEMENTED). */
  readonly known: boolean;
  /** The serialized response message of a normal answer with this text. */
  readonly message: (text?: string) => Buffer;
}

const OK = 0;
const UNIMPLEMENTED = 12;

// The HTTP status a behaviour names, as the gRPC code a gateway maps it to (gRPC's HTTP mapping).
const GRPC_STATUS_OF_HTTP: Readonly<Record<number, number>> = {
  400: 3, // INVALID_ARGUMENT
  401: 16, // UNAUTHENTICATED
  403: 7, // PERMISSION_DENIED
  404: 5, // NOT_FOUND
  408: 4, // DEADLINE_EXCEEDED
  409: 10, // ABORTED
  429: 8, // RESOURCE_EXHAUSTED
  499: 1, // CANCELLED
  500: 13, // INTERNAL
  501: 12, // UNIMPLEMENTED
  502: 14, // UNAVAILABLE
  503: 14, // UNAVAILABLE
  504: 4, // DEADLINE_EXCEEDED
};

/** The `grpc-status` of an error behaviour: its own `grpcStatus`, else mapped from its HTTP status. */
export function grpcStatusFor(status: number, grpcStatus?: number): number {
  return grpcStatus ?? GRPC_STATUS_OF_HTTP[status] ?? 2; // UNKNOWN
}

/** One length-prefixed message: a compression flag (0), a 4-byte big-endian length, the bytes. */
export function grpcFrame(message: Buffer): Buffer {
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32BE(message.length, 1);
  return Buffer.concat([prefix, message]);
}

/** gRPC's percent-encoding for `grpc-message`: only `%` and bytes outside 0x20-0x7E. */
function percentEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8'))
    out +=
      byte < 0x20 || byte > 0x7e || byte === 0x25
        ? `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
        : String.fromCharCode(byte);
  return out;
}

function statusHeaders(code: number, message: string | undefined, extra: ExtraHeaders = {}) {
  return {
    'grpc-status': String(code),
    ...(message === undefined ? {} : { 'grpc-message': percentEncode(message) }),
    ...extra,
  };
}

/** Response headers now (a call that then hangs or fails has started); false when too late. */
function open(ex: GrpcExchange, extra: ExtraHeaders = {}): boolean {
  if (ex.stream.destroyed || ex.stream.headersSent) return false;
  ex.response.writeHead(200, { 'content-type': 'application/grpc', ...extra });
  ex.response.flushHeaders();
  return true;
}

/** The end of a call that sent its headers: an optional message, then `grpc-status` in trailers. */
function finish(ex: GrpcExchange, message: Buffer | undefined, code: number, text?: string): void {
  if (ex.stream.destroyed) return;
  ex.response.addTrailers(statusHeaders(code, text));
  ex.response.end(message === undefined ? undefined : grpcFrame(message));
}

/** A failure as servers usually send it: one HEADERS frame with the status, ending the stream. */
function trailersOnly(stream: ServerHttp2Stream, code: number, message: string, extra?: ExtraHeaders): void {
  if (stream.destroyed || stream.headersSent) return;
  stream.respond(
    { ':status': 200, 'content-type': 'application/grpc', ...statusHeaders(code, message, extra) },
    { endStream: true },
  );
}

/**
 * Answers one gRPC call as `b` says, the gRPC way: an error is a trailers-only response with its
 * `grpc-status`; `reset` is RST_STREAM; `slow-stream` sends the headers, then the message after
 * `chunkDelayMs`; `reset-mid-body` the headers, then RST_STREAM; `stream-error` the headers, then
 * error trailers. Never throws.
 */
export async function performGrpc(b: Behaviour, ex: GrpcExchange): Promise<void> {
  const { stream } = ex;
  if (!ex.known && (b.kind === 'ok' || b.kind === 'slow-stream'))
    return trailersOnly(stream, UNIMPLEMENTED, 'unknown method');
  switch (b.kind) {
    case undefined:
    case 'error':
      return trailersOnly(
        stream,
        grpcStatusFor(b.status, b.grpcStatus),
        b.message ?? `fake error ${b.status}`,
        b.headers,
      );
    case 'ok':
      if (open(ex, b.headers)) finish(ex, ex.message(b.text), OK);
      return;
    case 'delay':
      if (await sleep(b.ms, ex.signal)) await performGrpc(b.andThen ?? { kind: 'ok' }, ex);
      return;
    case 'hang':
      if (b.afterHeaders) open(ex);
      return;
    case 'reset':
      if (!stream.destroyed) stream.close(constants.NGHTTP2_INTERNAL_ERROR);
      return;
    case 'slow-stream':
      if (open(ex) && (await sleep(b.chunkDelayMs, ex.signal))) finish(ex, ex.message(b.text), OK);
      return;
    case 'reset-mid-body':
      if (open(ex)) stream.close(constants.NGHTTP2_INTERNAL_ERROR);
      return;
    case 'stream-error': {
      const status = b.status ?? 500;
      if (open(ex)) finish(ex, undefined, grpcStatusFor(status), b.message ?? `fake error ${status}`);
      return;
    }
  }
}

/** Protocol Buffers wire format, just what the answers need: length-delimited fields and varints. */
function varint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest > 0x7f) {
    bytes.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

function bytesField(field: number, value: Buffer | string): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  return Buffer.concat([varint((field << 3) | 2), varint(bytes.length), bytes]);
}

function varintField(field: number, value: number): Buffer {
  return Buffer.concat([varint(field << 3), varint(value)]);
}

/**
 * google.cloud.aiplatform.v1.GenerateContentResponse with one candidate:
 * `candidates` (2) { `content` (2) { `role` (1) "model", `parts` (2) { `text` (1) } }, `finish_reason` (3) STOP },
 * `model_version` (11).
 */
export function generateContentResponse(text: string, model: string): Buffer {
  const part = bytesField(1, text);
  const content = Buffer.concat([bytesField(1, 'model'), bytesField(2, part)]);
  const candidate = Buffer.concat([bytesField(2, content), varintField(3, 1)]);
  return Buffer.concat([bytesField(2, candidate), bytesField(11, model)]);
}
