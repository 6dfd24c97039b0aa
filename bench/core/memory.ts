/**
 * A million recorded requests must leave the heap (after gc) where it started: every stat is
 * fixed-size (counters, ten window slots, a windowed latency histogram).
 * Run: node --expose-gc --import tsx bench/core/memory.ts
 */
import { resolveOptions } from '../../src/config/resolve.js';
import type { Outcome } from '../../src/outcome/outcome.js';
import { ProviderRegistry } from '../../src/providers/registry.js';
import { requireGc, table } from './harness.js';

const REQUESTS = 1_000_000;
const LIMIT_BYTES = 1024 * 1024;
const gc = requireGc();

const registry = new ProviderRegistry(resolveOptions({}, {}));
const providers = ['openai', 'anthropic', 'fal', 'gcp.gemini'].map((name) =>
  registry.getOrCreateProvider(name),
);
// Mostly successes, some of every other kind, with status codes and durations that vary.
const MIX: Array<[Outcome, number]> = [
  ['success', 200],
  ['success', 201],
  ['success', 200],
  ['client_error', 400],
  ['rate_limited', 429],
  ['auth_error', 401],
  ['success', 200],
  ['canceled', 0],
];

function play(count: number): void {
  for (let i = 0; i < count; i++) {
    const provider = providers[i & 3];
    if (provider === undefined) continue;
    const [outcome, status] = MIX[i & 7] as [Outcome, number];
    const admission = provider.admit();
    provider.record(
      admission,
      outcome,
      status,
      5 + (i % 997),
      -1,
      undefined,
      outcome === 'rate_limited' ? 10 : undefined,
    );
    registry.providerForOrigin('https://api.openai.com');
  }
}

function settledHeap(): number {
  for (let i = 0; i < 4; i++) gc();
  return process.memoryUsage().heapUsed;
}

play(20_000); // warm up: JIT code and every lazily created structure exists before the baseline
const before = settledHeap();
const started = performance.now();
play(REQUESTS);
const elapsedMs = performance.now() - started;
const after = settledHeap();
const delta = after - before;

console.log(
  `\nHeap after ${REQUESTS.toLocaleString('en')} recorded requests (4 providers, gc before each reading)`,
);
table(
  ['heap before', 'heap after', 'difference', 'limit', 'ns per request'],
  [
    [
      `${(before / 1024).toFixed(0)} KiB`,
      `${(after / 1024).toFixed(0)} KiB`,
      `${(delta / 1024).toFixed(1)} KiB`,
      '1024 KiB',
      ((elapsedMs * 1e6) / REQUESTS).toFixed(1),
    ],
  ],
);
const total = providers.reduce((sum, p) => sum + p.getHealthMetrics().totalRequests, 0);
console.log(
  `recorded: ${total.toLocaleString('en')}; target within 1 MiB -> ${Math.abs(delta) <= LIMIT_BYTES ? 'met' : 'MISSED'}`,
);
