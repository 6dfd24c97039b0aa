/**
 * One header from whatever form a client handed its headers in: a node:http ClientRequest
 * (`getHeader`), fetch `Headers` (`get`), a plain object (any case), an array of pairs, or
 * undici's flat array of alternating names and values. `name` is lower-case. Read on cold paths
 * only (a rejection, an abort): it scans.
 */
export function requestHeader(headers: unknown, name: string): string | undefined {
  try {
    return read(headers, name);
  } catch {
    // A hostile headers object (throwing getters): the header is simply not there.
    return undefined;
  }
}

function read(headers: unknown, name: string): string | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  const holder = headers as { getHeader?: unknown; get?: unknown };
  if (typeof holder.getHeader === 'function')
    return text((holder.getHeader as (n: string) => unknown).call(headers, name));
  if (typeof holder.get === 'function' && !Array.isArray(headers))
    return text((holder.get as (n: string) => unknown).call(headers, name));
  if (Array.isArray(headers)) {
    if (Array.isArray(headers[0])) {
      for (const pair of headers as unknown[][]) if (sameName(pair[0], name)) return text(pair[1]);
      return undefined;
    }
    for (let i = 0; i + 1 < headers.length; i += 2)
      if (sameName(headers[i], name)) return text(headers[i + 1]);
    return undefined;
  }
  for (const key of Object.keys(headers))
    if (sameName(key, name)) return text((headers as Record<string, unknown>)[key]);
  return undefined;
}

function sameName(candidate: unknown, name: string): boolean {
  const value =
    typeof candidate === 'string'
      ? candidate
      : Buffer.isBuffer(candidate)
        ? candidate.toString('latin1')
        : undefined;
  return value !== undefined && value.length === name.length && value.toLowerCase() === name;
}

function text(value: unknown): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  if (typeof first === 'string') return first;
  if (typeof first === 'number') return String(first);
  return Buffer.isBuffer(first) ? first.toString('latin1') : undefined;
}
