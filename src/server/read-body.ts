import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.js';

/**
 * The request body as a JSON object, or `{}` when there is none. At most `limit` bytes are
 * ever held: a larger declared length is refused before reading, a larger stream mid-way.
 */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<Record<string, unknown>> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) throw tooLarge(limit);
  const chunks = await collect(req, limit);
  const size = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  if (size === 0) return {};
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) {
    throw new HttpError(415, 'unsupported_media_type', 'a request body must be application/json');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'invalid_body', 'the request body is not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new HttpError(400, 'invalid_body', 'the request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

/** Not `for await`: leaving that loop early destroys the socket before the 413 can be sent. */
function collect(req: IncomingMessage, limit: number): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      cleanup();
      req.pause();
      reject(tooLarge(limit));
    };
    const onEnd = (): void => {
      cleanup();
      resolve(chunks);
    };
    // The client went away mid-body (or was cut off as too slow): its fault, not ours.
    const onError = (): void => {
      cleanup();
      reject(new HttpError(400, 'bad_request', 'the request body was cut off'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

// The rest of the body is never read: close the connection rather than drain an attacker's upload.
const tooLarge = (limit: number): HttpError =>
  new HttpError(413, 'payload_too_large', `the request body is larger than ${limit} bytes`, {
    connection: 'close',
  });
