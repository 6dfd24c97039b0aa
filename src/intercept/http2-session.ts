import { errorMonitor } from 'node:events';
import http2, {
  type ClientHttp2Session,
  type ClientHttp2Stream,
  type IncomingHttpHeaders,
  type IncomingHttpStatusHeader,
  type OutgoingHttpHeaders,
} from 'node:http2';
import { Duplex } from 'node:stream';
import { logOnce } from '../common/log.js';
import { admitRequest, providerForOrigin } from '../gate/admission-gate.js';
import { linkRequest } from '../gate/request-links.js';
import { RequestObservation } from '../gate/request-observation.js';
import { grpcStatusOf } from '../outcome/classify-grpc.js';
import { headersFromRecord } from '../outcome/headers.js';
import { getRegistry } from '../providers/global-registry.js';
import { answerLocally } from './local-http2.js';
import { answerWithError } from './rejection-policy.js';

type Request = (
  this: ClientHttp2Session,
  headers?: OutgoingHttpHeaders,
  options?: http2.ClientSessionRequestOptions,
) => ClientHttp2Stream;

const PATCHED = Symbol.for('provider-health.http2Patched');
type PatchedPrototype = ClientHttp2Session & { [PATCHED]?: Request };

/**
 * node:http2 client sessions (the AWS SDK's default NodeHttp2Handler for Bedrock, grpc-js for
 * Vertex AI): patched at `ClientHttp2Session.prototype.request`, where a stream is asked for.
 * Every stream to a provider goes through the admission gate before it opens; a rejected one
 * gets a local stream (local-http2.ts) instead, and the session's own connection carries
 * nothing. Admitted streams are observed to their end: `:status`, time to first byte, the
 * `grpc-status` of gRPC calls, errors and cancels.
 */
export function installHttp2Patch(): void {
  const proto = sessionPrototype();
  if (proto === undefined || proto[PATCHED] !== undefined) return;
  const original = (proto as unknown as { request: Request }).request;
  proto[PATCHED] = original;
  (proto as unknown as { request: Request }).request = function request(headers, options) {
    return observe(this, headers, options, original);
  };
}

export function uninstallHttp2Patch(): void {
  const proto = sessionPrototype();
  const original = proto?.[PATCHED];
  if (proto === undefined || original === undefined) return;
  (proto as unknown as { request: Request }).request = original;
  delete proto[PATCHED];
}

let prototype: PatchedPrototype | undefined;

/**
 * ClientHttp2Session is not exported: its prototype is read off a session made over an
 * in-memory stream that is destroyed at once (no connection is attempted), with the symbols
 * Node keeps the session's authority and protocol under.
 */
function sessionPrototype(): PatchedPrototype | undefined {
  if (prototype !== undefined) return prototype;
  const socket = new Duplex({ read() {}, write: (_chunk, _encoding, callback) => callback() });
  const probe = http2.connect('http://provider-health.probe:1', {
    createConnection: () => socket as Duplex & import('node:net').Socket,
  });
  probe.on('error', () => undefined);
  for (const symbol of Object.getOwnPropertySymbols(probe)) {
    const value = (probe as unknown as Record<symbol, unknown>)[symbol];
    if (value === 'provider-health.probe:1') authoritySymbol = symbol;
    if (value === 'http:' && symbol.description === 'protocol') protocolSymbol = symbol;
  }
  probe.destroy();
  socket.destroy();
  prototype = Object.getPrototypeOf(probe) as PatchedPrototype;
  return prototype;
}

let authoritySymbol: symbol | undefined;
let protocolSymbol: symbol | undefined;

/** `https://host:port` of the server a session talks to, or undefined when it cannot be told. */
function originOf(session: ClientHttp2Session, headers: OutgoingHttpHeaders | undefined): string | undefined {
  const fields = session as unknown as Record<symbol, unknown>;
  const authority = authoritySymbol === undefined ? undefined : fields[authoritySymbol];
  const protocol = protocolSymbol === undefined ? undefined : fields[protocolSymbol];
  if (typeof authority === 'string' && typeof protocol === 'string') return `${protocol}//${authority}`;
  const header = headers?.[':authority'];
  const scheme = headers?.[':scheme'];
  return typeof header === 'string'
    ? `${typeof scheme === 'string' ? scheme : 'https'}://${header}`
    : undefined;
}

function observe(
  session: ClientHttp2Session,
  headers: OutgoingHttpHeaders | undefined,
  options: http2.ClientSessionRequestOptions | undefined,
  original: Request,
): ClientHttp2Stream {
  let observation: RequestObservation | undefined;
  try {
    const registry = getRegistry();
    const origin = originOf(session, headers);
    const provider = origin === undefined ? undefined : providerForOrigin(registry, origin);
    if (provider !== undefined) {
      const grpc = isGrpc(headers);
      const method = typeof headers?.[':method'] === 'string' ? headers[':method'] : 'GET';
      const path = typeof headers?.[':path'] === 'string' ? headers[':path'] : '/';
      const admitted = admitRequest(registry, provider, method, origin, path, options?.signal);
      if (!(admitted instanceof RequestObservation)) {
        const kind = grpc ? 'grpc' : answerWithError(registry.rejectWith, headers, grpc) ? 'error' : 'reply';
        const local = answerLocally(provider, admitted, headers ?? {}, options, kind);
        linkRequest(local, admitted.reason === 'budget_exhausted' ? 'budget_exceeded' : 'rejected');
        return local;
      }
      observation = admitted;
      observation.requestHeaders = headers;
      observation.transport = 'http2';
      observation.target = { method, url: `${origin}${path}` };
    }
  } catch (error) {
    logOnce(
      'http2.request',
      'provider-health could not observe an HTTP/2 request; it passes through untouched',
      error,
    );
    observation = undefined;
  }
  let stream: ClientHttp2Stream;
  try {
    stream = original.call(session, headers, options);
  } catch (error) {
    // Nothing was sent: the request ends here (and a half-open trial slot is freed).
    observation?.finish(error);
    throw error;
  }
  if (observation !== undefined) follow(stream, observation);
  return stream;
}

function isGrpc(headers: OutgoingHttpHeaders | undefined): boolean {
  const type = headers?.['content-type'];
  return typeof type === 'string' && type.startsWith('application/grpc');
}

/** Follows an admitted stream to its end without changing how it flows (no 'data' listener). */
function follow(stream: ClientHttp2Stream, observation: RequestObservation): void {
  try {
    linkRequest(stream, observation);
    stream.once('response', (headers: IncomingHttpHeaders & IncomingHttpStatusHeader) => {
      const status = Number(headers[':status'] ?? 0);
      observation.onResponseStart(status, () => headersFromRecord(headers));
      // A trailers-only gRPC response carries its status in these headers.
      observation.grpcStatus = grpcStatusOf(headers['grpc-status']) ?? observation.grpcStatus;
      if (observation.capturingBody) captureBody(stream, observation);
    });
    stream.once('trailers', (trailers: IncomingHttpHeaders) => {
      observation.grpcStatus = grpcStatusOf(trailers['grpc-status']) ?? observation.grpcStatus;
    });
    stream.once(errorMonitor, (error: Error) => observation.finish(error));
    // The caller's own close (a cancel, or its client's timeout: the AWS SDK closes the stream).
    const close = stream.close;
    stream.close = function callerClose(
      this: ClientHttp2Stream,
      ...args: Parameters<ClientHttp2Stream['close']>
    ) {
      if (!observation.finished) observation.callerAborted = true;
      return close.apply(this, args);
    } as ClientHttp2Stream['close'];
    stream.once('close', () => {
      if (observation.finished) return;
      const code = stream.rstCode ?? http2.constants.NGHTTP2_NO_ERROR;
      if (observation.callerAborted) observation.finish(abortError());
      else if (code !== http2.constants.NGHTTP2_NO_ERROR) observation.finish(streamError(code));
      else if (observation.statusCode === 0)
        observation.finish(streamError(code, 'closed without a response'));
      else observation.finish();
    });
  } catch (error) {
    logOnce('http2.follow', 'provider-health could not follow an HTTP/2 stream; it is unaffected', error);
  }
}

/** Reads error bodies without consuming them: the session pushes each chunk through `push`. */
function captureBody(stream: ClientHttp2Stream, observation: RequestObservation): void {
  const push = stream.push;
  stream.push = function capture(this: ClientHttp2Stream, chunk: unknown, encoding?: BufferEncoding) {
    if (chunk !== null && (typeof chunk === 'string' || chunk instanceof Uint8Array))
      observation.onBodyChunk(chunk);
    return push.call(this, chunk, encoding);
  };
}

function abortError(): Error {
  const error = new Error('stream closed by the caller');
  error.name = 'AbortError';
  return error;
}

function streamError(code: number, detail = `RST_STREAM code ${code}`): Error {
  const error = new Error(`HTTP/2 stream ${detail}`) as Error & { code: string };
  error.code = 'ERR_HTTP2_STREAM_ERROR';
  return error;
}
