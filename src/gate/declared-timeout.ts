import { requestHeader as headerOf } from '../common/request-headers.js';

/**
 * The timeout a request declares in its own headers, when its client sends one: Stainless SDKs
 * (`x-stainless-timeout`, whole seconds, truncated), @google/genai (`x-server-timeout`, whole
 * seconds, rounded up) and gRPC (`grpc-timeout`, e.g. `1973m`). README "Compatibility" lists who
 * sends which. Read only when a request was aborted, from the headers it was sent with.
 *
 * The whole-second headers give a lower bound of the real timeout; a bound of 0 s (a sub-second
 * timeout: `x-stainless-timeout: 0`, `x-server-timeout: 1`) says nothing, and then the request
 * declares none: counted as one, any caller's cancel would have been a timeout.
 */
export function declaredTimeoutMs(headers: unknown): number | undefined {
  try {
    const stainless = seconds(headerOf(headers, 'x-stainless-timeout'));
    if (stainless !== undefined) return positive(stainless * 1000);
    const server = seconds(headerOf(headers, 'x-server-timeout'));
    if (server !== undefined) return positive((server - 1) * 1000);
    return grpcTimeout(headerOf(headers, 'grpc-timeout'));
  } catch {
    return undefined;
  }
}

function positive(ms: number): number | undefined {
  return ms > 0 ? ms : undefined;
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
