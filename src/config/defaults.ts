import type { Mode, RejectWith, ResolvedOptions } from './options.js';
import { DEFAULT_SERVER_HOST, DEFAULT_SERVER_PORT } from './server-address.js';

export const MODES: readonly Mode[] = ['enforce', 'observe', 'off'];
export const REJECT_WITH: readonly RejectWith[] = ['response', 'error'];

/** The defaults of DESIGN.md ("Configuration", "Breaker semantics"), for every global key. */
export const DEFAULT_OPTIONS: Readonly<Omit<ResolvedOptions, 'providers' | 'checkIntervalSet'>> =
  Object.freeze({
    mode: 'enforce',
    rejectWith: 'response',
    failureThreshold: 5,
    recoveryTimeoutMs: 60_000,
    successThreshold: 3,
    trialTimeoutMs: 30_000,
    server: Object.freeze({ host: DEFAULT_SERVER_HOST, port: DEFAULT_SERVER_PORT }),
    adminToken: undefined,
    checkIntervalMs: 60_000,
    checkTimeoutMs: 10_000,
    checkFeedsBreaker: true,
    degradedFailureRate: 0.1,
    degradedLatencyMs: 30_000,
    statsWindowMs: 300_000,
  });
