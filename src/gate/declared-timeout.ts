/**
 * The timeout a request declares in its own headers, when its client sends one: Stainless SDKs
 * (`x-stainless-timeout`, whole seconds, truncated), @google/genai (`x-server-timeout`, whole
 * seconds, rounded up) and gRPC (`grpc-timeout`, e.g. `1973m`). README "Compatibility" lists who
 * sends which. Read only when a request was aborted, from the headers it was sent with.
 */
export function declaredTimeoutMs(headers: unknown): number | undefined {
  try {
    const stainless = seconds(headerOf(headers, 'x-stainless-timeout'));
    if (stainless !== undefined) return stainless * 1000;
    const server = seconds(headerOf(headers, 'x-server-timeout'));
    if (server !== undefined) return Math.max(0, server - 1) * 1000;
    return grpcTimeout(headerOf(headers, 'grpc-timeout'));
  } catch {
    return undefined;
  }
}

function seconds(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d{1,9}$/.test(text.trim())) return undefined;
  return Number(text);
}

const GRPC_UNITS: Readonly<Record<string, number>> = {
  H: 3_600_000,
  M: 60_000,
  S: 1_000,
  m: 1,
  u: 1e-3,
  n: 1e-6,
};

function grpcTimeout(text: string | undefined): number | undefined {
  const match = text === undefined ? null : /^(\d{1,8})([HMSmun])$/.exec(text.trim());
  if (match === null) return undefined;
  return Number(match[1]) * (GRPC_UNITS[match[2] as string] as number);
}

/**
 * One header from whatever form a client handed its headers in: a node:http ClientRequest
 * (`getHeader`), fetch `Headers` (`get`), a plain object (any case), an array of pairs, or
 * undici's flat array of alternating names and values.
 */
function headerOf(headers: unknown, name: string): string | undefined {
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
