/**
 * What the preload costs a process at start-up (docs/design.md, "Measuring on these machines"):
 * `node --require provider-health/register -e …` against bare `node -e …`, each a fresh process,
 * the variants alternated round after round, medians, and a bare-vs-bare control whose difference
 * is the noise. `npm run bench:startup`; BENCH_ROUNDS=… to change the rounds (default 21).
 *
 * Per process: wall time from spawn to exit (measured here), CPU time and peak RSS (measured by
 * the process itself at exit, the same few lines in every variant).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../fake-provider/free-port.js';
import { median } from '../core/harness.js';

const ROOT = resolve(import.meta.dirname, '../..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 21);

// An application folder where `provider-health` is found in node_modules, as after an install
// (this repository's build, linked): the preload is resolved the way a service resolves it.
const APP = mkdtempSync(join(tmpdir(), 'provider-health-startup-'));
mkdirSync(join(APP, 'node_modules'));
symlinkSync(ROOT, join(APP, 'node_modules/provider-health'), 'dir');
writeFileSync(join(APP, 'package.json'), '{"name":"app","private":true}');
process.on('exit', () => rmSync(APP, { recursive: true, force: true }));

// The same in every variant: report at exit. `-e 0` plus this line.
const REPORT_AT_EXIT =
  "process.on('exit', () => { const r = process.resourceUsage(); process.stdout.write(JSON.stringify({ cpuMs: (r.userCPUTime + r.systemCPUTime) / 1000, rssKb: r.maxRSS }) + '\\n') })";
// One turn of the event loop: the plugin's deferred telemetry decision (metrics SDK, exporter) runs.
const ONE_TURN = `${REPORT_AT_EXIT}; setImmediate(() => {})`;

interface Variant {
  name: string;
  preload: boolean;
  script: string;
  env?: Record<string, string>;
}

const VARIANTS: Variant[] = [
  { name: 'a bare node -e 0', preload: false, script: REPORT_AT_EXIT },
  { name: 'a2 bare again (control)', preload: false, script: REPORT_AT_EXIT },
  { name: 'b preload -e 0', preload: true, script: REPORT_AT_EXIT },
  {
    name: 'c preload, MODE=off',
    preload: true,
    script: REPORT_AT_EXIT,
    env: { PROVIDER_HEALTH_MODE: 'off' },
  },
  { name: 'd bare, one turn', preload: false, script: ONE_TURN },
  { name: 'e preload, one turn', preload: true, script: ONE_TURN },
  {
    name: 'f preload, spans on',
    preload: true,
    script: REPORT_AT_EXIT,
    env: { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:9/v1/traces' },
  },
];

interface Sample {
  name: string;
  wallMs: number;
  cpuMs: number;
  rssMb: number;
}

async function runOnce(variant: Variant): Promise<Sample> {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!/^(PROVIDER_HEALTH_|OTEL_)/.test(key) && key !== 'NODE_OPTIONS') env[key] = value;
  // The defaults a service gets (health server on loopback, Prometheus exporter), on free ports.
  env.PROVIDER_HEALTH_SERVER = `127.0.0.1:${await freePort()}`;
  env.OTEL_EXPORTER_PROMETHEUS_HOST = '127.0.0.1';
  env.OTEL_EXPORTER_PROMETHEUS_PORT = String(await freePort());
  Object.assign(env, variant.env);
  const args = [...(variant.preload ? ['--require', 'provider-health/register'] : []), '-e', variant.script];
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, args, { cwd: APP, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((done) => child.once('exit', done));
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (code !== 0) throw new Error(`${variant.name} exited with ${code}: ${stderr}`);
  const measured = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { cpuMs: number; rssKb: number };
  return { name: variant.name, wallMs, cpuMs: measured.cpuMs, rssMb: measured.rssKb / 1024 };
}

const samples: Sample[] = [];
for (let round = 0; round < ROUNDS; round++) {
  // Alternate, and rotate the order each round so no variant always runs after the same one.
  for (let i = 0; i < VARIANTS.length; i++)
    samples.push(await runOnce(VARIANTS[(i + round) % VARIANTS.length] as Variant));
}

const med = (name: string, key: 'wallMs' | 'cpuMs' | 'rssMb') =>
  median(samples.filter((s) => s.name === name).map((s) => s[key]));
const fmt = (n: number, width = 9) => n.toFixed(1).padStart(width);
const signed = (n: number) => `${n >= 0 ? '+' : ''}${n.toFixed(1)}`.padStart(9);

console.log(`\nnode ${process.version}, start-up to exit, median of ${ROUNDS} alternating rounds`);
console.log(`${'variant'.padEnd(28)}  wall ms   CPU ms  peak RSS MB`);
for (const { name } of VARIANTS)
  console.log(
    `${name.padEnd(28)}${fmt(med(name, 'wallMs'))}${fmt(med(name, 'cpuMs'))}${fmt(med(name, 'rssMb'), 12)}`,
  );

const delta = (a: string, b: string) =>
  `${signed(med(a, 'wallMs') - med(b, 'wallMs'))}${signed(med(a, 'cpuMs') - med(b, 'cpuMs'))}${signed(med(a, 'rssMb') - med(b, 'rssMb')).padStart(12)}`;
const [bare, control, preload, off, bareTurn, preloadTurn, spans] = VARIANTS.map(
  (v) => v.name,
) as string[] as [string, string, string, string, string, string, string];
console.log(`\n${'added over bare node'.padEnd(28)}  wall ms   CPU ms  peak RSS MB`);
console.log(`${'control: a2 - a (noise)'.padEnd(28)}${delta(control, bare)}`);
console.log(`${'b preload -e 0'.padEnd(28)}${delta(preload, bare)}    target: <= 60 ms, <= 12 MB`);
console.log(`${'c MODE=off'.padEnd(28)}${delta(off, bare)}    target: <= 10 ms`);
console.log(
  `${'e preload, one turn'.padEnd(28)}${delta(preloadTurn, bareTurn)}    (metrics SDK and Prometheus exporter built)`,
);
console.log(
  `${'f spans on at preload'.padEnd(28)}${delta(spans, bare)}    (trace SDK, OTLP exporter, instrumentations)`,
);
