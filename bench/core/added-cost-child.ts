/**
 * One variant of added-cost.ts in a process of its own: builds its provider, warms it up, then
 * times REPEATS runs of ITERATIONS admit() + recordRequest() and prints the median CPU time per
 * request, ns (CPU rather than wall time: on a shared machine a process waiting for a core
 * would otherwise count its wait). argv: variant name, ms between request ends, [src directory].
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ProviderHealthOptions } from '../../src/config/options.js';
import type { RecordedRequest } from '../../src/providers/provider-events.js';
import { median } from './harness.js';

const [variant = 'defaults', step = '0.001', src = resolve(import.meta.dirname, '../../src')] =
  process.argv.slice(2);
const stepMs = Number(step);
const ITERATIONS = 1_000_000;
const REPEATS = 7;

const OPTIONS: Record<string, ProviderHealthOptions> = {
  defaults: {},
  'slow-call': { providers: { openai: { slowCallDuration: '10s' } } },
  everything: {
    degradedLatencyBaseline: { factor: 3, min: '1s' },
    providers: { openai: { slowCallDuration: { factor: 3, min: '2s' } } },
  },
};

const load = (file: string) => import(pathToFileURL(resolve(src, file)).href);
const { ProviderRegistry } = await load('providers/registry.ts');
const { resolveOptions } = await load('config/resolve.ts');
const provider: { admit(): number; recordRequest(r: RecordedRequest): void } = new ProviderRegistry(
  resolveOptions(OPTIONS[variant] ?? {}, {}),
).getOrCreateProvider('openai');

const record = {
  admission: 0,
  outcome: 'success' as const,
  statusCode: 200,
  durationMs: 812.5,
  ttfbMs: 230.25,
  endedAt: 0,
  reason: undefined,
  retryAfterMs: undefined,
};
let now = 1_000;
function run(n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    record.admission = provider.admit();
    now += stepMs;
    record.endedAt = now;
    provider.recordRequest(record);
    sum += record.admission;
  }
  return sum;
}

run(ITERATIONS);
const samples: number[] = [];
for (let r = 0; r < REPEATS; r++) {
  const started = process.cpuUsage();
  run(ITERATIONS);
  const used = process.cpuUsage(started);
  samples.push(((used.user + used.system) * 1000) / ITERATIONS);
}
console.log(median(samples).toFixed(2));
