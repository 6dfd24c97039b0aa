import { type Classification, isOutcome, type Outcome } from './outcome.js';
import { safeLabel } from './reason.js';

/**
 * Error codes from Node (libuv, OpenSSL), undici, axios and our own breaker. Codes are checked
 * before names because they are the stable part of an error; messages are never read.
 */
const CODE_OUTCOMES: ReadonlyMap<string, Outcome> = new Map<string, Outcome>([
  ['ERR_CIRCUIT_OPEN', 'rejected'],
  ['ERR_BUDGET_EXCEEDED', 'budget_exceeded'],
  ['UND_ERR_CONNECT_TIMEOUT', 'timeout'],
  ['UND_ERR_HEADERS_TIMEOUT', 'timeout'],
  ['UND_ERR_BODY_TIMEOUT', 'timeout'],
  ['ETIMEDOUT', 'timeout'],
  ['ESOCKETTIMEDOUT', 'timeout'],
  ['ERR_SOCKET_CONNECTION_TIMEOUT', 'timeout'],
  // axios reports its own `timeout` as ECONNABORTED; the OS errno barely occurs on a client socket.
  ['ECONNABORTED', 'timeout'],
  ['ABORT_ERR', 'canceled'],
  ['UND_ERR_ABORTED', 'canceled'],
  ['ERR_CANCELED', 'canceled'],
  ['ECONNREFUSED', 'connection_error'],
  ['ECONNRESET', 'connection_error'],
  ['EPIPE', 'connection_error'],
  ['ENOTFOUND', 'connection_error'],
  ['EAI_AGAIN', 'connection_error'],
  ['EAI_FAIL', 'connection_error'],
  ['EAI_NONAME', 'connection_error'],
  ['EHOSTUNREACH', 'connection_error'],
  ['EHOSTDOWN', 'connection_error'],
  ['ENETUNREACH', 'connection_error'],
  ['ENETDOWN', 'connection_error'],
  ['EADDRNOTAVAIL', 'connection_error'],
  ['EPROTO', 'connection_error'],
  ['UND_ERR_SOCKET', 'connection_error'],
  ['UND_ERR_CLOSED', 'connection_error'],
  ['UND_ERR_DESTROYED', 'connection_error'],
  ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'connection_error'],
  ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'connection_error'],
  ['DEPTH_ZERO_SELF_SIGNED_CERT', 'connection_error'],
  ['SELF_SIGNED_CERT_IN_CHAIN', 'connection_error'],
  ['ERR_HTTP2_STREAM_ERROR', 'connection_error'],
  ['ERR_HTTP2_SESSION_ERROR', 'connection_error'],
  ['ERR_HTTP2_GOAWAY_SESSION', 'connection_error'],
  // The provider answered, but not with HTTP that can be read: its fault, not the network's.
  ['UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'provider_error'],
  ['UND_ERR_RESPONSE', 'provider_error'],
  ['UND_ERR_INVALID_ARG', 'client_error'],
  ['UND_ERR_REQ_CONTENT_LENGTH_MISMATCH', 'client_error'],
  ['UND_ERR_RES_EXCEEDED_MAX_SIZE', 'client_error'],
  ['UND_ERR_NOT_SUPPORTED', 'client_error'],
]);

/** Names that decide on their own: they say who gave up (us, a deadline, the caller). */
const NAME_OUTCOMES: ReadonlyMap<string, Outcome> = new Map<string, Outcome>([
  ['CircuitOpenError', 'rejected'],
  ['BudgetExceededError', 'budget_exceeded'],
  ['TimeoutError', 'timeout'], // AbortSignal.timeout(), also when wrapped as a node:http AbortError's cause
  ['APIConnectionTimeoutError', 'timeout'], // openai / @anthropic-ai/sdk; their cause is a plain abort
  ['ConnectTimeoutError', 'timeout'],
  ['AbortError', 'canceled'],
  ['APIUserAbortError', 'canceled'],
  ['CanceledError', 'canceled'],
]);

/** Generic wrappers: they say "connection" but a more specific code usually sits in their cause. */
const WEAK_NAME_OUTCOMES: ReadonlyMap<string, Outcome> = new Map<string, Outcome>([
  ['APIConnectionError', 'connection_error'],
]);

/**
 * Which verdict wins when a chain holds several: ours (rejected) over a timeout (an abort whose
 * reason was a deadline is a timeout) over a caller abort over what the network said.
 */
const RANK: Readonly<Partial<Record<Outcome, number>>> = {
  rejected: 0,
  budget_exceeded: 0,
  timeout: 1,
  canceled: 2,
};
const SPECIFIC_RANK = 3;
const WEAK_RANK = 4;

/** Bounds the walk through `cause` and `AggregateError.errors`: chains can be cyclic or hostile. */
const MAX_NODES = 16;
const MAX_AGGREGATED = 4;

export interface ErrorContext {
  /** The request's own AbortSignal had fired: the caller gave up, whatever the error looks like. */
  aborted?: boolean;
  status?: number;
  codeOverrides?: Readonly<Record<string, Outcome>>;
}

/** An abort reason given as text, as cohere's SDK does for its own timeout (`abort('timeout')`). */
const TIMEOUT_TEXT = /^(?:timeout|timed out|request timed out)$/i;

export function classifyError(error: unknown, context: ErrorContext): Classification {
  if (typeof error === 'string' && TIMEOUT_TEXT.test(error.trim())) {
    return { outcome: 'timeout', reason: `aborted: ${safeLabel(error.trim())}` };
  }
  const queue: unknown[] = [error];
  const seen: object[] = [];
  let best: Outcome | undefined;
  let bestLabel = '';
  let bestRank = Number.POSITIVE_INFINITY;
  let topLabel: string | undefined;

  for (let i = 0; i < queue.length && i < MAX_NODES && bestRank > 0; i++) {
    const node = queue[i];
    if (typeof node !== 'object' || node === null || seen.includes(node)) continue;
    seen.push(node);
    const fields = node as { code?: unknown; name?: unknown; cause?: unknown; errors?: unknown };
    const code = typeof fields.code === 'string' ? fields.code : undefined;
    const name = errorName(node, fields.name);
    topLabel ??= code ?? name;

    const verdict = verdictFor(code, name, context.codeOverrides);
    if (verdict !== undefined && verdict.rank < bestRank) {
      best = verdict.outcome;
      bestRank = verdict.rank;
      bestLabel = verdict.label;
    }
    if (fields.cause !== undefined) queue.push(fields.cause);
    const errors = fields.errors;
    if (Array.isArray(errors))
      for (let j = 0; j < errors.length && j < MAX_AGGREGATED; j++) queue.push(errors[j]);
  }

  const after = context.status === undefined ? '' : ` after HTTP ${context.status}`;
  if (context.aborted === true && bestRank > (RANK.timeout as number)) {
    return { outcome: 'canceled', reason: `caller aborted (${safeLabel(topLabel ?? typeof error)})${after}` };
  }
  if (best === undefined) {
    return {
      outcome: 'connection_error',
      reason: `unknown error ${safeLabel(topLabel ?? typeof error)}${after}`,
    };
  }
  return { outcome: best, reason: `${safeLabel(bestLabel)}${after}` };
}

function verdictFor(
  code: string | undefined,
  name: string | undefined,
  overrides: Readonly<Record<string, Outcome>> | undefined,
): { outcome: Outcome; rank: number; label: string } | undefined {
  if (overrides !== undefined) {
    for (const key of [code, name]) {
      if (key === undefined || !Object.hasOwn(overrides, key)) continue;
      const outcome = overrides[key];
      if (isOutcome(outcome)) return { outcome, rank: RANK[outcome] ?? SPECIFIC_RANK, label: key };
    }
  }
  const byName = name === undefined ? undefined : NAME_OUTCOMES.get(name);
  if (byName !== undefined && name !== undefined) {
    return { outcome: byName, rank: RANK[byName] ?? SPECIFIC_RANK, label: name };
  }
  if (code !== undefined) {
    const byCode = CODE_OUTCOMES.get(code) ?? codeFamily(code);
    if (byCode !== undefined) return { outcome: byCode, rank: RANK[byCode] ?? SPECIFIC_RANK, label: code };
  }
  const weak = name === undefined ? undefined : WEAK_NAME_OUTCOMES.get(name);
  if (weak !== undefined && name !== undefined) return { outcome: weak, rank: WEAK_RANK, label: name };
  return undefined;
}

/** Families too large to list: OpenSSL and certificate failures, and llhttp parse errors. */
function codeFamily(code: string): Outcome | undefined {
  if (code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_') || code.startsWith('CERT_')) {
    return 'connection_error';
  }
  if (code.startsWith('UNABLE_TO_') || code.startsWith('ERR_OSSL_')) return 'connection_error';
  if (code.startsWith('HPE_')) return 'provider_error';
  return undefined;
}

/** `name`, or the class name where an SDK leaves `name` as plain "Error" (openai, @anthropic-ai/sdk). */
function errorName(node: object, name: unknown): string | undefined {
  if (typeof name === 'string' && name !== 'Error') return name;
  const ctor = (node as { constructor?: unknown }).constructor;
  const ctorName = typeof ctor === 'function' ? ctor.name : undefined;
  if (typeof ctorName === 'string' && ctorName !== 'Error' && ctorName !== 'Object' && ctorName !== '') {
    return ctorName;
  }
  return typeof name === 'string' ? name : undefined;
}
