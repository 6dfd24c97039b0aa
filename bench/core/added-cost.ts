/**
 * What issue 15 (slow calls, baselines, the early warning) adds to the success path of
 * admit() + recordRequest(), measured side by side in one process (see docs/design.md,
 * "Measuring on these machines"): the code before it (BEFORE_SRC, the src/ of an older checkout, e.g. a
 * `git worktree add --detach /tmp/before <commit>` with node_modules linked), the code now with
 * its defaults (the early warning on), with the slow-call rule on, and with everything on
 * (relative slow-call rule, degradedLatencyBaseline); the defaults twice (a same-vs-same control:
 * its spread is the noise) and an empty loop. Requests end 1 µs apart (as in admission.ts) and
 * 1 ms apart (a provider at 1,000 requests a second: slots of the stats window advance, the
 * baseline learns and the detector samples, so their cost is spread over the requests as in use).
 *
 *   BEFORE_SRC=/tmp/before/src node --expose-gc --import tsx bench/core/added-cost.ts
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ProviderHealthOptions } from '../../src/config/options.js';
import { resolveOptions } from '../../src/config/resolve.js';
import type { RecordedRequest } from '../../src/providers/provider-events.js';
import { ProviderRegistry } from '../../src/providers/registry.js';
import { compare, formatNs, table } from './harness.js';

const ITERATIONS = Number(process.env.ITERATIONS ?? 1_000_000);
const ROUNDS = Number(process.env.ROUNDS ?? 11);

interface Target {
  admit(): number;
  recordRequest(request: RecordedRequest): void;
}

class Record implements RecordedRequest {
  admission = 0;
  outcome = 'success' as const;
  statusCode = 200;
  durationMs = 812.5;
  ttfbMs = 230.25;
  endedAt = 0;
  reason: string | undefined = undefined;
  retryAfterMs: number | undefined = undefined;
}

type Loop = (target: Target, record: Record, state: { now: number }, stepMs: number, n: number) => number;

// The loop's source, compiled once per variant (new Function): each copy has its own type
// feedback, so one variant's classes (the old Provider is another class) cannot make a call
// site polymorphic for another, as one shared loop function would.
const LOOP_SOURCE = `
  let sum = 0;
  let now = state.now;
  for (let i = 0; i < n; i++) {
    record.admission = target.admit();
    now += stepMs;
    record.endedAt = now;
    target.recordRequest(record);
    sum += record.admission;
  }
  state.now = now;
  return sum;
`;

/** A loop of admit + record, each request ending `stepMs` after the last (its own clock per target). */
function loop(target: Target, stepMs: number): (n: number) => number {
  const run = new Function('target', 'record', 'state', 'stepMs', 'n', LOOP_SOURCE) as Loop;
  const record = new Record();
  const state = { now: 1_000 };
  return (n) => run(target, record, state, stepMs, n);
}

function provider(options: ProviderHealthOptions): Target {
  return new ProviderRegistry(resolveOptions(options, {})).getOrCreateProvider('openai');
}

async function before(): Promise<Target | undefined> {
  const src = process.env.BEFORE_SRC;
  if (src === undefined) return undefined;
  const load = (file: string) => import(pathToFileURL(resolve(src, file)).href);
  const { ProviderRegistry: Registry } = await load('providers/registry.ts');
  const { resolveOptions: resolveOld } = await load('config/resolve.ts');
  return new Registry(resolveOld({}, {})).getOrCreateProvider('openai') as Target;
}

const old = await before();
const EVERYTHING: ProviderHealthOptions = {
  degradedLatencyBaseline: { factor: 3, min: '1s' },
  providers: { openai: { slowCallDuration: { factor: 3, min: '2s' } } },
};
const rows: string[][] = [];
for (const stepMs of [0.001, 0.999]) {
  const variants = [
    ...(old === undefined ? [] : [{ name: 'before (BEFORE_SRC)', run: loop(old, stepMs) }]),
    { name: 'now, defaults (early warning on)', run: loop(provider({}), stepMs) },
    { name: 'now, defaults again (control)', run: loop(provider({}), stepMs) },
    {
      name: 'now, slow-call rule on (10 s)',
      run: loop(provider({ providers: { openai: { slowCallDuration: '10s' } } }), stepMs),
    },
    { name: 'now, everything on (relative rules)', run: loop(provider(EVERYTHING), stepMs) },
    {
      name: 'empty loop',
      run: (n: number) => {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += i & 1;
        return sum;
      },
    },
  ].map((v) => ({ ...v, iterations: ITERATIONS }));
  const results = await compare(variants, ROUNDS);
  const base = results[0]?.medianNs ?? Number.NaN;
  for (const r of results)
    rows.push([
      `${stepMs < 0.5 ? '1 µs' : '1 ms'} apart`,
      r.name,
      formatNs(r.medianNs),
      formatNs(r.minNs),
      formatNs(r.maxNs),
      old === undefined ? '' : `${r.medianNs - base >= 0 ? '+' : ''}${(r.medianNs - base).toFixed(1)} ns`,
    ]);
}
console.log(`\nSuccess path, admit() + recordRequest(), ${ROUNDS} alternating rounds, median ns per request`);
table(['requests', 'variant', 'median', 'min', 'max', 'vs before'], rows);
