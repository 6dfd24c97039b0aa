/**
 * What issue 15 (slow calls, baselines, the early warning) adds to the success path of
 * admit() + recordRequest() (see docs/design.md, "Measuring on these machines"). Each variant
 * runs in a process of its own (added-cost-child.ts), so no variant's classes or type feedback
 * colour another's (compiled side by side in one process, the old and the new Provider made each
 * other's call sites polymorphic), and the variants alternate over many rounds:
 *
 *   before      the code before it (BEFORE_SRC: the src/ of an older checkout, e.g. a
 *               `git worktree add --detach /tmp/before <commit>` with node_modules linked)
 *   defaults    now, with its defaults (the early warning on), and again as the control
 *   slow-call   now, with the slow-call rule on (slowCallDuration 10 s)
 *   everything  now, with a relative slow-call rule and degradedLatencyBaseline
 *
 * Requests end 1 µs apart (as in admission.ts) and 1 ms apart (a provider at 1,000 requests a
 * second: the window's slots advance, the baseline learns, the detector samples, and their cost
 * is spread over the requests as in use).
 *
 *   BEFORE_SRC=/tmp/before/src node --import tsx bench/core/added-cost.ts      ROUNDS=… (default 9)
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { formatNs, median, table } from './harness.js';

const ROUNDS = Number(process.env.ROUNDS ?? 9);
const CHILD = fileURLToPath(new URL('added-cost-child.ts', import.meta.url));
const before = process.env.BEFORE_SRC;

interface Variant {
  name: string;
  args: string[];
}
const variants: Variant[] = [
  ...(before === undefined ? [] : [{ name: 'before (BEFORE_SRC)', args: ['defaults', before] }]),
  { name: 'now, defaults (early warning on)', args: ['defaults'] },
  { name: 'now, defaults again (control)', args: ['defaults'] },
  { name: 'now, slow-call rule on (10 s)', args: ['slow-call'] },
  { name: 'now, everything on (relative rules)', args: ['everything'] },
];

const rows: string[][] = [];
for (const step of ['0.001', '0.999']) {
  const samples = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? variants : [...variants].reverse();
    for (const variant of order) {
      const [name = 'defaults', src] = variant.args;
      const out = execFileSync(
        process.execPath,
        ['--import', 'tsx', CHILD, name, step, ...(src ? [src] : [])],
        {
          encoding: 'utf8',
        },
      );
      samples.get(variant.name)?.push(Number(out.trim()));
    }
  }
  const medians = variants.map((v) => median(samples.get(v.name) ?? []));
  const base = medians[0] ?? Number.NaN;
  variants.forEach((variant, i) => {
    const all = samples.get(variant.name) ?? [];
    const value = medians[i] ?? Number.NaN;
    rows.push([
      `${step === '0.001' ? '1 µs' : '1 ms'} apart`,
      variant.name,
      formatNs(value),
      formatNs(Math.min(...all)),
      formatNs(Math.max(...all)),
      i === 0 ? '' : `${value - base >= 0 ? '+' : ''}${(value - base).toFixed(1)} ns`,
    ]);
  });
}
console.log(
  `\nSuccess path, admit() + recordRequest(), CPU ns per request: median of ${ROUNDS} alternating rounds, each a process of its own`,
);
table(
  ['requests', 'variant', 'median', 'min', 'max', before === undefined ? 'vs defaults' : 'vs before'],
  rows,
);
