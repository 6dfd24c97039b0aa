import http2, {
  type ClientHttp2Session,
  type ClientHttp2Stream,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
  type ServerHttp2Stream,
} from 'node:http2';
import type { Duplex } from 'node:stream';
import {
  BUDGET_MARKER_VALUE,
  type LocalAnswer,
  localAnswerError,
  localAnswerMessage,
  MARKER_HEADER,
  MARKER_VALUE,
  PROVIDER_HEADER,
  RETRY_AFTER_MS_HEADER,
} from '../common/circuit-open-error.js';
import { logOnce } from '../common/log.js';
import type { Provider } from '../providers/provider.js';
import { duplexPair } from './duplex-pair.js';
import { syntheticResponse } from './synthetic-response.js';

/**
 * The local answer to an HTTP/2 or gRPC request while a circuit is open or a budget is spent. A client gets a real
 * `ClientHttp2Stream`, from a real HTTP/2 session to an in-process server over an in-memory
 * pair of streams, so every client (the AWS SDK's NodeHttp2Handler, grpc-js) sees exactly the
 * events and state it sees from a provider, and nothing reaches the network.
 *
 * - HTTP/2: the same reply as HTTP/1 (src/intercept/synthetic-response.ts).
 * - gRPC: a trailers-only response, `grpc-status: 9` (FAILED_PRECONDITION), the message in
 *   `grpc-message` and the markers as metadata. Not 14 or 4, which gax retry settings retry.
 *   The stream is never refused and `request()` never throws: grpc-js retries a stream it thinks
 *   never started, without limit (README, "Compatibility").
 * - An error (rejectWith 'error', see rejection-policy.ts): the stream is destroyed with a
 *   CircuitOpenError, which the AWS SDK rethrows as is.
 */
export function answerLocally(
  provider: Provider,
  answer: LocalAnswer,
  headers: OutgoingHttpHeaders,
  options: http2.ClientSessionRequestOptions | undefined,
  kind: 'reply' | 'grpc' | 'error',
): ClientHttp2Stream {
  const id = String(++lastReplyId);
  pending.set(id, { provider, answer, kind });
  const stream = localSession().request({ ...headers, [REPLY_ID]: id }, options);
  stream.once('close', () => pending.delete(id));
  if (kind === 'error') {
    // After request() has returned and the caller has attached its listeners.
    setImmediate(() => stream.destroy(localAnswerError(answer)));
  }
  return stream;
}

// Internal: which pending answer a local stream is; never leaves the process.
const REPLY_ID = 'x-provider-health-local-reply';
interface PendingAnswer {
  provider: Provider;
  answer: LocalAnswer;
  kind: 'reply' | 'grpc' | 'error';
}
const pending = new Map<string, PendingAnswer>();
let lastReplyId = 0;
let session: ClientHttp2Session | undefined;

function localSession(): ClientHttp2Session {
  if (session !== undefined && !session.closed && !session.destroyed) return session;
  const [clientEnd, serverEnd] = duplexPair();
  const server = http2.createServer();
  server.on('stream', answer);
  server.on('sessionError', (error) => logOnce('local-http2:server', 'the local HTTP/2 reply failed', error));
  server.emit('connection', serverEnd);
  const created = http2.connect('http://provider-health.local', {
    createConnection: () => clientEnd as Duplex & import('node:net').Socket,
  });
  created.on('error', (error) =>
    logOnce('local-http2:client', 'the local HTTP/2 reply session failed', error),
  );
  created.once('close', () => {
    if (session === created) session = undefined;
  });
  session = created;
  return created;
}

function answer(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void {
  stream.on('error', () => {
    // The client may go away first (its own timeout, a cancel); nothing to answer then.
  });
  // Whatever the client sends is read and dropped, so a large body never stalls on flow control.
  stream.resume();
  // On the next turn of the event loop, like every local answer: a client retrying at once in a
  // loop must not starve timers and sockets.
  setImmediate(() => respond(stream, headers));
}

function respond(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void {
  if (stream.closed || stream.destroyed) return;
  const id = headers[REPLY_ID];
  const spec = typeof id === 'string' ? pending.get(id) : undefined;
  if (spec === undefined || spec.kind === 'error') {
    if (!stream.closed) stream.close(http2.constants.NGHTTP2_CANCEL);
    return;
  }
  if (spec.kind === 'grpc') {
    stream.respond(
      {
        ':status': 200,
        'content-type': 'application/grpc',
        'grpc-status': String(GRPC_FAILED_PRECONDITION),
        'grpc-message': grpcPercentEncode(
          localAnswerMessage(spec.answer.reason, spec.answer.provider, spec.answer.retryAfterMs),
        ),
        ...markers(spec),
      },
      { endStream: true },
    );
    return;
  }
  const reply = syntheticResponse(spec.provider, spec.answer);
  const { 'content-length': _length, ...replyHeaders } = reply.headers;
  stream.respond({ ':status': reply.status, ...replyHeaders });
  stream.end(Buffer.from(reply.body));
}

const GRPC_FAILED_PRECONDITION = 9;

function markers(spec: PendingAnswer): Record<string, string> {
  const headers: Record<string, string> = {
    [MARKER_HEADER]: spec.answer.reason === 'budget_exhausted' ? BUDGET_MARKER_VALUE : MARKER_VALUE,
    [PROVIDER_HEADER]: spec.answer.provider,
  };
  if (Number.isFinite(spec.answer.retryAfterMs))
    headers[RETRY_AFTER_MS_HEADER] = String(Math.ceil(spec.answer.retryAfterMs));
  return headers;
}

/** gRPC's percent-encoding for `grpc-message`: only `%` and bytes outside 0x20-0x7E. */
function grpcPercentEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    out +=
      byte < 0x20 || byte > 0x7e || byte === 0x25
        ? `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
        : String.fromCharCode(byte);
  }
  return out;
}
