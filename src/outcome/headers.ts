import type { IncomingHttpHeaders } from 'node:http';

/** Read access to response headers; `name` is always lower-case. Fetch's `Headers` already fits. */
export interface HeaderSource {
  get(name: string): string | null | undefined;
}

/** node:http's `IncomingHttpHeaders`, or undici's new-API header record: lower-case keys. */
export type HeaderRecord =
  | IncomingHttpHeaders
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/** undici's raw headers (`onHeaders`): names and values alternating, as Buffers or strings. */
export type RawHeaders = readonly (Uint8Array | string)[];

/**
 * Adapts node:http / undici headers to a `HeaderSource`. Construction is one small object and no
 * copying: classification reads at most three headers, and only for error responses, so a lookup
 * scans lazily instead of building a map up front for every provider response.
 */
export function headersFromRecord(record: HeaderRecord | RawHeaders | null | undefined): HeaderSource {
  if (Array.isArray(record)) return new RawHeaderSource(record as RawHeaders);
  if (typeof record === 'object' && record !== null) return new RecordHeaderSource(record as HeaderRecord);
  return EMPTY_HEADERS;
}

const EMPTY_HEADERS: HeaderSource = Object.freeze({ get: () => undefined });

class RecordHeaderSource implements HeaderSource {
  constructor(private readonly record: HeaderRecord) {}

  get(name: string): string | undefined {
    const value: unknown = (this.record as Record<string, unknown>)[name];
    if (typeof value === 'string') return value;
    // node:http keeps only the first `retry-after` anyway; for lists the first value is the one that counts.
    if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
    return undefined;
  }
}

class RawHeaderSource implements HeaderSource {
  constructor(private readonly raw: RawHeaders) {}

  get(name: string): string | undefined {
    const raw = this.raw;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      if (nameEquals(raw[i], name)) return decode(raw[i + 1]);
    }
    return undefined;
  }
}

/** Case-insensitive ASCII comparison without decoding the Buffer into a new string. */
function nameEquals(candidate: Uint8Array | string | undefined, lowerName: string): boolean {
  if (typeof candidate === 'string')
    return candidate.length === lowerName.length && candidate.toLowerCase() === lowerName;
  if (!(candidate instanceof Uint8Array) || candidate.length !== lowerName.length) return false;
  for (let i = 0; i < candidate.length; i++) {
    const byte = candidate[i] as number;
    const lower = byte >= 65 && byte <= 90 ? byte + 32 : byte;
    if (lower !== lowerName.charCodeAt(i)) return false;
  }
  return true;
}

function decode(value: Uint8Array | string | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (!(value instanceof Uint8Array)) return undefined;
  // latin1 maps bytes 1:1, as HTTP header values are defined; a view over the same memory, no copy.
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('latin1');
}
