import { OWN_TRANSITION_REASONS } from '../breaker/circuit-state.js';
import { isQualifiedName } from '../common/provider-name.js';
import { isFleetName } from '../config/fleet-name.js';
import { LIMITS } from './limits.js';

/**
 * What comes back from Redis, validated field by field (docs/fleet.md, "Messages"): messages on
 * the channel and script replies are parsed as JSON (never evaluated), must have the expected
 * shape, and every number must be a finite integer in range and every string bounded. Anything
 * else is refused as a whole.
 */

export type FleetCircuitState = 'closed' | 'open' | 'half_open';

/**
 * Why a provider's fleet record last changed. The breaker's transition reasons, plus the changes
 * of the failure count that the mirror needs (`failures_counted`, `failures_reset`) and an
 * opening restored into a store that had lost its data (`restored`).
 */
export type FleetReason =
  | (typeof OWN_TRANSITION_REASONS)[number]
  | 'failures_counted'
  | 'failures_reset'
  | 'restored';

const STATES: readonly FleetCircuitState[] = ['closed', 'open', 'half_open'];
const REASONS: readonly FleetReason[] = [
  ...OWN_TRANSITION_REASONS,
  'failures_counted',
  'failures_reset',
  'restored',
];

/** One provider's record as a script or message carries it; durations relative to Redis time. */
export interface WireView {
  provider: string;
  state: FleetCircuitState;
  epoch: number;
  failures: number;
  successes: number;
  trials: number;
  /** Open: ms until trials may start, -1 when held open with no end; otherwise 0. */
  retryInMs: number;
  forced: boolean;
  openedBy: string | undefined;
  reason: FleetReason | undefined;
  detail: string | undefined;
  by: string | undefined;
}

export interface WireMessage {
  generation: string;
  seq: number;
  /** A change; absent on a tick. */
  view: WireView | undefined;
}

export type ScriptResult =
  | 'counted'
  | 'opened'
  | 'ignored'
  | 'closed'
  | 'wait'
  | 'busy'
  | 'granted'
  | 'stale'
  | 'released'
  | 'half_open'
  | 'snapshot';
const RESULTS: readonly ScriptResult[] = [
  'counted',
  'opened',
  'ignored',
  'closed',
  'wait',
  'busy',
  'granted',
  'stale',
  'released',
  'half_open',
  'snapshot',
];

export interface WireReply {
  generation: string;
  seq: number;
  result: ScriptResult;
  view: WireView | undefined;
  retryInMs: number | undefined;
  lease: { id: string; ms: number } | undefined;
  /** Snapshots: every provider with a record (the others are closed with no failures). */
  views: Map<string, WireView> | undefined;
  /** Snapshots: the most recently seen replicas and how long ago, ms. */
  replicas: Map<string, number> | undefined;
  replicaCount: number | undefined;
}

/** Why a message was refused; each is logged once. */
export type Refusal = 'too_large' | 'not_json' | 'malformed' | 'foreign';

export class WireError extends Error {
  constructor(readonly refusal: Refusal) {
    super(`fleet wire: ${refusal}`);
  }
}

const GENERATION = /^[0-9a-f]{16,32}$/;
const REPLICA_ID = /^[\x21-\x7e]+$/;
const LEASE_ID = /^\d{1,20}\.\d{1,20}$/;
const MAX_EPOCH = Number.MAX_SAFE_INTEGER;

/** A message from the channel. Throws WireError; the caller logs each refusal once. */
export function parseMessage(text: string, fleet: string): WireMessage {
  const body = parseJson(text, LIMITS.messageBytes);
  if (body.v !== 1) throw new WireError('malformed');
  // A message for another fleet on our channel is someone else's traffic, or a forgery.
  if (!isFleetName(body.fleet)) throw new WireError('malformed');
  if (body.fleet !== fleet) throw new WireError('foreign');
  const generation = generationOf(body.gen);
  const seq = int(body.seq, 0, MAX_EPOCH);
  if (body.tick === true && body.view === undefined) return { generation, seq, view: undefined };
  const view = parseView(body.view);
  if (view.epoch !== seq) throw new WireError('malformed');
  return { generation, seq, view };
}

/** A script's reply (a JSON string). Throws WireError. */
export function parseReply(raw: unknown): WireReply {
  if (typeof raw !== 'string') throw new WireError('malformed');
  const body = parseJson(raw, LIMITS.replyBytes);
  const result = oneOf(body.result, RESULTS);
  return {
    generation: generationOf(body.gen),
    seq: int(body.seq, 0, MAX_EPOCH),
    result,
    view: body.view === undefined ? undefined : parseView(body.view),
    retryInMs: body.retryInMs === undefined ? undefined : int(body.retryInMs, -1, LIMITS.durationMs),
    lease: body.lease === undefined ? undefined : parseLease(body.lease),
    views: body.views === undefined ? undefined : parseViews(body.views),
    replicas: body.replicas === undefined ? undefined : parseReplicas(body.replicas),
    replicaCount:
      body.replicaCount === undefined ? undefined : int(body.replicaCount, 0, LIMITS.replicasKept),
  };
}

function parseView(value: unknown): WireView {
  const body = record(value);
  const provider = body.p;
  if (!isQualifiedName(provider)) throw new WireError('malformed');
  const state = oneOf(body.state, STATES);
  const retryInMs = int(body.retryInMs, -1, LIMITS.durationMs);
  // -1 ("no end") only ever describes an open circuit.
  if (retryInMs < 0 && state !== 'open') throw new WireError('malformed');
  return {
    provider,
    state,
    epoch: int(body.epoch, 0, MAX_EPOCH),
    failures: int(body.failures, 0, LIMITS.count * 2),
    successes: int(body.successes, 0, LIMITS.maxTrials),
    trials: int(body.trials, 0, LIMITS.leases),
    retryInMs,
    forced: bool(body.forced),
    openedBy: optional(body.openedBy, replicaId),
    reason: optional(body.reason, (v) => oneOf(v, REASONS)),
    detail: optional(body.detail, (v) => string(v, LIMITS.detailBytes)),
    by: optional(body.by, replicaId),
  };
}

function parseViews(value: unknown): Map<string, WireView> {
  const entries = Object.entries(record(value));
  if (entries.length > LIMITS.providers) throw new WireError('malformed');
  const views = new Map<string, WireView>();
  for (const [name, raw] of entries) {
    const view = parseView(raw);
    if (view.provider !== name) throw new WireError('malformed');
    views.set(name, view);
  }
  return views;
}

function parseReplicas(value: unknown): Map<string, number> {
  const entries = Object.entries(record(value));
  if (entries.length > LIMITS.replicasListed) throw new WireError('malformed');
  const replicas = new Map<string, number>();
  for (const [id, ago] of entries) replicas.set(replicaId(id), int(ago, 0, Number.MAX_SAFE_INTEGER));
  return replicas;
}

function parseLease(value: unknown): { id: string; ms: number } {
  const body = record(value);
  if (typeof body.id !== 'string' || !LEASE_ID.test(body.id)) throw new WireError('malformed');
  return { id: body.id, ms: int(body.ms, 1, LIMITS.durationMs) };
}

function parseJson(text: string, maxBytes: number): Record<string, unknown> {
  // Length in UTF-16 units bounds the bytes well enough to refuse a huge payload before parsing.
  if (text.length > maxBytes) throw new WireError('too_large');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new WireError('not_json');
  }
  return record(body);
}

function record(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new WireError('malformed');
  return value as Record<string, unknown>;
}

function int(value: unknown, min: number, max: number): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max) return value;
  throw new WireError('malformed');
}

function bool(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  throw new WireError('malformed');
}

function string(value: unknown, max: number): string {
  if (typeof value === 'string' && value.length <= max) return value;
  throw new WireError('malformed');
}

function oneOf<T extends string>(value: unknown, choices: readonly T[]): T {
  if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
  throw new WireError('malformed');
}

function generationOf(value: unknown): string {
  if (typeof value === 'string' && GENERATION.test(value)) return value;
  throw new WireError('malformed');
}

function replicaId(value: unknown): string {
  if (typeof value === 'string' && value.length <= LIMITS.replicaIdChars && REPLICA_ID.test(value)) {
    return value;
  }
  throw new WireError('malformed');
}

function optional<T>(value: unknown, parse: (value: unknown) => T): T | undefined {
  return value === undefined ? undefined : parse(value);
}
