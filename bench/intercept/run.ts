/**
 * provider-health interception benchmark, one run (see docs/design.md, "Measuring on these machines"):
 * every end-to-end variant in its own child process, variants alternated over rounds, client
 * CPU time next to wall time, a bare-vs-bare control; then the in-process per-request cost and
 * the heap soak. `npm run bench:intercept`.
 */
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { type Row, report } from './report.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

interface Variant {
  name: string;
  plugin: boolean;
  env?: Record<string, string>;
}

// The loopback server lives here so that its CPU is not charged to the measured client.
const server = http.createServer((_req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end('{"ok":true}');
});
server.keepAliveTimeout = 60_000;
await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
const port = (server.address() as AddressInfo).port;
const providerHere = `openai=127.0.0.1:${port}`;

const VARIANTS: Variant[] = [
  { name: 'a bare', plugin: false },
  { name: 'a2 bare (control)', plugin: false, env: {} },
  { name: 'b otel undici 0.33', plugin: false, env: { BENCH_VARIANT: 'otel' } },
  {
    name: 'c observe',
    plugin: true,
    env: { PROVIDER_HEALTH_MODE: 'observe', PROVIDER_HEALTH_PROVIDERS: providerHere },
  },
  { name: 'd enforce', plugin: true, env: { PROVIDER_HEALTH_PROVIDERS: providerHere } },
  {
    name: 'e rejected (open)',
    plugin: true,
    env: { PROVIDER_HEALTH_PROVIDERS: providerHere, BENCH_VARIANT: 'rejected' },
  },
  // The same server, but the plugin maps "openai" to another port: this host is no provider.
  { name: 'f non-provider host', plugin: true, env: { PROVIDER_HEALTH_PROVIDERS: 'openai=127.0.0.1:9' } },
];

function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!key.startsWith('PROVIDER_HEALTH_') && key !== 'NODE_OPTIONS') env[key] = value;
  return {
    ...env,
    PROVIDER_HEALTH_SERVER: 'off',
    PROVIDER_HEALTH_CHECK_INTERVAL: 'off',
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_TRACES_EXPORTER: 'none',
    BENCH_URL: `http://127.0.0.1:${port}/v1/chat/completions`,
    ...extra,
  };
}

async function runVariant(variant: Variant): Promise<Row> {
  const args = ['--expose-gc', '--import', 'tsx'];
  if (variant.plugin) args.push('--import', 'provider-health/register');
  args.push(resolve(import.meta.dirname, 'variant.ts'));
  const { stdout } = await run(process.execPath, args, {
    cwd: ROOT,
    env: childEnv(variant.env),
    timeout: 60_000,
  });
  const line = stdout.trim().split('\n').pop() ?? '';
  const parsed = JSON.parse(line) as Omit<Row, 'name'>;
  return { ...parsed, name: variant.name };
}

const rows: Row[] = [];
const started = Date.now();
for (let round = 0; round < ROUNDS; round++) {
  // A B C … then … C B A: drift and neighbours' load hit every variant alike.
  const order = round % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
  for (const variant of order) rows.push(await runVariant(variant));
  process.stderr.write(
    `round ${round + 1}/${ROUNDS} done (${Math.round((Date.now() - started) / 1000)} s)\n`,
  );
}
server.close();
report(rows);

// In-process parts, each in its own child so that neither sees the other's heap or JIT state.
for (const file of ['overhead.ts', 'soak.ts']) {
  const { stdout } = await run(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', resolve(import.meta.dirname, file)],
    { cwd: ROOT, env: childEnv(), timeout: 180_000 },
  );
  process.stdout.write(stdout);
}
