/**
 * Mutation check of the breaker's tests: each mutant below is applied to the source, the breaker
 * tests are run, and the mutant must make them fail ("killed"); the source is restored after
 * each, whatever happens. A surviving mutant is a test that could not fail. Run:
 *
 *   npx tsx scripts/mutation/breaker.ts
 *
 * "failure counted after tripping" survives by design: it only adds a mark to the slow-call
 * window of a circuit that has just opened, and the window is emptied when the circuit closes.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BREAKER = 'src/breaker/circuit-breaker.ts';
const WINDOW = 'src/breaker/slow-call-window.ts';
const STATE = 'src/breaker/circuit-state.ts';

interface Mutant {
  name: string;
  file: string;
  from: string;
  to: string;
  /** Expected to survive (an equivalent mutant), with the reason in the header. */
  equivalent?: boolean;
}

const MUTANTS: Mutant[] = [
  {
    name: 'failures >= failureThreshold -> >',
    file: BREAKER,
    from: '++this.failures >= this._failureThreshold',
    to: '++this.failures > this._failureThreshold',
  },
  {
    name: 'now >= retryAt -> >',
    file: BREAKER,
    from: 'this.code === OPEN && now >= this.retryAt',
    to: 'this.code === OPEN && now > this.retryAt',
  },
  {
    name: 'slow calls >= needed -> >',
    file: WINDOW,
    from: 'this.slow >= this.needed',
    to: 'this.slow > this.needed',
  },
  {
    name: 'judged before the window is full',
    file: WINDOW,
    from: 'return this.seen === this.size && this.slow >= this.needed;',
    to: 'return this.slow >= this.needed;',
  },
  {
    name: 'needed rounded down: >= -> >',
    file: WINDOW,
    from: '(needed - 1) / this.size >= rate) needed--',
    to: '(needed - 1) / this.size > rate) needed--',
  },
  {
    name: 'needed rounded up: < -> <=',
    file: WINDOW,
    from: 'needed / this.size < rate) needed++',
    to: 'needed / this.size <= rate) needed++',
  },
  {
    name: 'closed: slower than -> at least',
    file: BREAKER,
    from: 'window.add(time > this._slowCallMs)',
    to: 'window.add(time >= this._slowCallMs)',
  },
  {
    name: 'half-open: slower than -> at least',
    file: BREAKER,
    from: 'slowCallTime(call) > this._slowCallMs) {',
    to: 'slowCallTime(call) >= this._slowCallMs) {',
  },
  {
    name: 'time to first byte of 0 ignored',
    file: STATE,
    from: 'return ttfb >= 0 ? ttfb : call.durationMs;',
    to: 'return ttfb > 0 ? ttfb : call.durationMs;',
  },
  {
    name: 'always the whole duration',
    file: STATE,
    from: 'return ttfb >= 0 ? ttfb : call.durationMs;',
    to: 'return call.durationMs;',
  },
  { name: 'a call of unknown time judged', file: BREAKER, from: '    if (time < 0) return;\n', to: '' },
  {
    name: 'window not emptied on close',
    file: BREAKER,
    from: '      this.slowCalls?.clear();\n    }\n    if (from === to',
    to: '    }\n    if (from === to',
  },
  {
    name: 'failure counted after tripping',
    file: BREAKER,
    from: 'else if (this.slowCalls !== undefined && call !== undefined) this.countCall(call);',
    to: 'if (this.slowCalls !== undefined && call !== undefined) this.countCall(call);',
    equivalent: true,
  },
];

let failed = false;
for (const mutant of MUTANTS) {
  const path = `${ROOT}${mutant.file}`;
  const original = readFileSync(path, 'utf8');
  if (original.split(mutant.from).length !== 2) {
    console.log(`${mutant.name}: its text is not in ${mutant.file} exactly once; update this script`);
    failed = true;
    continue;
  }
  try {
    writeFileSync(path, original.replace(mutant.from, mutant.to));
    const run = spawnSync('npx', ['vitest', 'run', 'test/breaker'], { cwd: ROOT, encoding: 'utf8' });
    const killed = run.status !== 0;
    const verdict = killed ? 'killed' : mutant.equivalent ? 'survived (equivalent)' : 'SURVIVED';
    console.log(`${mutant.name}: ${verdict}`);
    if (killed === mutant.equivalent) failed = true;
  } finally {
    writeFileSync(path, original);
  }
}
process.exit(failed ? 1 : 0);
