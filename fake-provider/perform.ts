import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorReply, streamErrorEvent } from './errors.js';
import { bodyPieces, type Reply } from './reply.js';
import { sleep } from './timers.js';
import type { Behaviour, ErrorBehaviour, ExtraHeaders, ProviderName } from './types.js';

/** One request being answered. */
export interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** Aborted when the client goes away or the server closes: stops delays and slow streams. */
  readonly signal: AbortSignal;
  readonly provider: ProviderName;
  /** The normal answer for this request, with the behaviour's text and headers. */
  readonly answer: (text?: string, headers?: ExtraHeaders) => Reply;
}

// Lets the client read the bytes already written before the RST arrives; a reset right after
// the write can make the client's stack drop them, and the test would see a reset before headers.
const SETTLE_BEFORE_RESET_MS = 15;

function write(res: ServerResponse, chunk: string): Promise<void> {
  return new Promise((resolve) => {
    res.write(chunk, () => resolve());
  });
}

function sendWhole(res: ServerResponse, reply: Reply): void {
  const body = reply.chunks.join('');
  res.writeHead(reply.status, { ...reply.headers, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Status and headers now, so that the client sees a response start (and its time to first byte). */
function startBody(res: ServerResponse, reply: Reply): void {
  res.writeHead(reply.status, reply.headers);
  res.flushHeaders();
}

async function reset(ex: Exchange): Promise<void> {
  await sleep(SETTLE_BEFORE_RESET_MS, ex.signal);
  const socket = ex.req.socket;
  if (!socket.destroyed) socket.resetAndDestroy();
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
      ex.req.socket.resetAndDestroy();
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
      return reset(ex);
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
