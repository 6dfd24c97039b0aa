import type { Classification, Outcome } from './outcome.js';
import { safeLabel } from './reason.js';

/**
 * gRPC status codes (grpc/doc/statuscodes.md) as outcomes. UNAVAILABLE and DEADLINE_EXCEEDED are
 * what a failing or hanging provider answers, so they trip; RESOURCE_EXHAUSTED is Vertex AI's
 * quota and rate limit. FAILED_PRECONDITION is also what the local reply answers (the request
 * never left the process, and clients retry neither it nor anything the caller chose not to).
 */
const GRPC_OUTCOMES: readonly Outcome[] = [
  'success', // 0 OK
  'canceled', // 1 CANCELLED
  'provider_error', // 2 UNKNOWN
  'client_error', // 3 INVALID_ARGUMENT
  'timeout', // 4 DEADLINE_EXCEEDED
  'client_error', // 5 NOT_FOUND
  'client_error', // 6 ALREADY_EXISTS
  'auth_error', // 7 PERMISSION_DENIED
  'rate_limited', // 8 RESOURCE_EXHAUSTED
  'client_error', // 9 FAILED_PRECONDITION
  'client_error', // 10 ABORTED
  'client_error', // 11 OUT_OF_RANGE
  'client_error', // 12 UNIMPLEMENTED
  'provider_error', // 13 INTERNAL
  'provider_error', // 14 UNAVAILABLE
  'provider_error', // 15 DATA_LOSS
  'auth_error', // 16 UNAUTHENTICATED
];

const NAMES = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
];

/** The outcome of a gRPC call from its `grpc-status`; an unknown code is the provider's error. */
export function classifyGrpcStatus(code: number): Classification {
  const outcome = GRPC_OUTCOMES[code] ?? 'provider_error';
  const name = NAMES[code] ?? `status ${safeLabel(String(code))}`;
  return { outcome, reason: `gRPC ${code} ${name}` };
}

/** `grpc-status` as it arrives in headers or trailers; undefined when absent or malformed. */
export function grpcStatusOf(value: unknown): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (typeof text !== 'string' && typeof text !== 'number') return undefined;
  const code = Number(text);
  return Number.isInteger(code) && code >= 0 && code <= 99 ? code : undefined;
}
