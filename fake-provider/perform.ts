import { errorReply, streamErrorEvent } from './errors.js';
import { bodyPieces, type Reply } from './reply.js';
import { sleep } from './timers.js';
import type { Behaviour, ErrorBehaviour, ExtraHeaders, ProviderName } from './types.js';

/**
 * What answering needs from a response: node:http's ServerResponse, or HTTP/2's compatibility
 * Http2ServerResponse (server.ts adapts it).
 */
export interface ResponseSink {
  readonly headersSent: boolean;
  writeHead(status: number, headers: Record<string, string | number>): unknown;
  write(chunk: string, done: () => void): unknown;
  end(chunk?: string): unknown;
  flushHeaders(): void;
  destroy(): unknown;
}

/** One request being answered. */
export interface Exchange {
  readonly res: ResponseSink;
  /** Breaks the exchange at the transport: a TCP reset (HTTP/1.1), RST_STREAM (HTTP/2). */
  readonly reset: () => void;
  /** Aborted when the client goes away or the server closes: stops delays and slow streams. */
  readonly signal: AbortSignal;
  readonly provider: ProviderName;
  /** The normal answer for this request, with the behaviour's text and headers. */
  readonly answer: (text?: string, headers?: ExtraHeaders) => Reply;
}

// Lets the client read the bytes already written before the RST arrives; a reset right after
// the write can make the client's stack drop them, and the test would see a reset before headers.
const SETTLE_BEFORE_RESET_MS = 15;

function write(res: ResponseSink, chunk: string): Promise<void> {
  return new Promise((resolve) => {
    res.write(chunk, () => resolve());
  });
}

function sendWhole(res: ResponseSink, reply: Reply): void {
  const body = reply.chunks.join('');
  res.writeHead(reply.status, { ...reply.headers, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Status and headers now, so that the client sees a response start (and its time to first byte). */
function startBody(res: ResponseSink, reply: Reply): void {
  res.writeHead(reply.status, reply.headers);
  res.flushHeaders();
}

async function resetAfterSettle(ex: Exchange): Promise<void> {
  if (await sleep(SETTLE_BEFORE_RESET_MS, ex.signal)) ex.reset();
}

function asError(b: ErrorBehaviour, ex: Exchange): void {
  sendWhole(ex.res, errorReply(ex.provider, b));
}

/** Answers one request as `b` says. Never throws: a client that left just ends the exchange. */
export async function perform(b: Behaviour, ex: Exchange): Promise<void> {
  const { res } = ex;
  switch (b.kind) {
    case undefined:
    case 'error':
      return asError(b, ex);
    case 'ok':
      return sendWhole(res, ex.answer(b.text, b.headers));
    case 'delay':
      if (await sleep(b.ms, ex.signal)) await perform(b.andThen ?? { kind: 'ok' }, ex);
      return;
    case 'hang':
      if (b.afterHeaders) startBody(res, ex.answer());
      return; // close() destroys the socket.
    case 'reset':
      ex.reset();
      return;
    case 'slow-stream': {
      const reply = ex.answer(b.text);
      startBody(res, reply);
      const pieces = bodyPieces(reply);
      for (const [i, piece] of pieces.entries()) {
        await write(res, piece);
        if (i < pieces.length - 1 && !(await sleep(b.chunkDelayMs, ex.signal))) return;
      }
      res.end();
      return;
    }
    case 'reset-mid-body': {
      const reply = ex.answer();
      startBody(res, reply);
      for (const piece of bodyPieces(reply).slice(0, b.afterChunks ?? 2)) await write(res, piece);
      return resetAfterSettle(ex);
    }
    case 'stream-error': {
      const status = b.status ?? (ex.provider === 'anthropic' ? 529 : 500);
      const reply = ex.answer();
      if (!reply.sse) return asError({ status, type: b.type, message: b.message }, ex);
      startBody(res, reply);
      for (const piece of reply.chunks.slice(0, b.afterChunks ?? 1)) await write(res, piece);
      res.end(streamErrorEvent(ex.provider, status, b.type, b.message));
      return;
    }
  }
}
