// The smoke test .ci/run runs under every supported Node.js (20, 22, 24: the binary running this
// file is the one tested). A child process loads the built package with --require and with
// --import, calls a provider that is down until its circuit opens, gets the local reply, and
// exports metrics and spans over OTLP (http/protobuf, the default) to a receiver here, which
// decodes them with the OpenTelemetry project's protobuf definitions. Plain JavaScript, no build
// step: `node test/smoke/node-versions.mjs` after `npm run build`.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(import.meta.url);
const proto = require('otlp-proto-definitions/build/src/generated/root.js').opentelemetry.proto.collector;
const DECODE = {
  '/v1/metrics': proto.metrics.v1.ExportMetricsServiceRequest,
  '/v1/traces': proto.trace.v1.ExportTraceServiceRequest,
};
const started = Date.now();

function fail(message) {
  process.stderr.write(`smoke (node ${process.version}): FAILED: ${message}\n`);
  process.exit(1);
}
if (!existsSync(`${ROOT}dist/register.cjs`)) fail('dist/ is missing: run npm run build first');

const listen = (server) =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));

// A provider that is down: every request gets a 500.
const provider = createServer((request, response) => {
  request.resume();
  response.statusCode = 500;
  response.setHeader('content-type', 'application/json');
  response.end('{"error":{"message":"down","type":"server_error"}}');
});
const providerPort = await listen(provider);

const received = [];
const receiver = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const type = DECODE[request.url];
    if (type !== undefined && request.headers['content-type'] === 'application/x-protobuf') {
      received.push({
        path: request.url,
        body: type.toObject(type.decode(Buffer.concat(chunks)), { longs: String }),
      });
    }
    response.setHeader('content-type', 'application/x-protobuf');
    response.end();
  });
});
const receiverPort = await listen(receiver);

const CHILD = `
const base = 'http://127.0.0.1:${providerPort}/v1/chat/completions';
const call = () => fetch(base, { method: 'POST', body: '{}' });
(async () => {
  for (let i = 0; i < 5; i++) await (await call()).text();
  const reply = await call();
  await reply.text();
  const { getProvider } = require('provider-health');
  console.log(JSON.stringify({ state: getProvider('openai').breaker.state, status: reply.status, by: reply.headers.get('x-provider-health') }));
})();
`;

function runChild(flag) {
  const env = {};
  for (const [key, value] of Object.entries(process.env))
    if (!/^(PROVIDER_HEALTH_|OTEL_)/.test(key) && key !== 'NODE_OPTIONS') env[key] = value;
  Object.assign(env, {
    PROVIDER_HEALTH_PROVIDERS: `openai=127.0.0.1:${providerPort}`,
    PROVIDER_HEALTH_SERVER: 'off',
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${receiverPort}`,
    OTEL_SERVICE_NAME: `smoke-${flag.slice(2)}`,
  });
  const child = spawn(process.execPath, [flag, 'provider-health/register', '-e', CHILD], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const timer = setTimeout(() => child.kill(), 20_000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

const attribute = (attributes, key) => attributes?.find((a) => a.key === key)?.value?.stringValue;

for (const flag of ['--require', '--import']) {
  received.length = 0;
  const { code, stdout, stderr } = await runChild(flag);
  if (code !== 0) fail(`${flag}: the service exited with ${code}\n${stderr}`);
  const report = JSON.parse(stdout.trim().split('\n').pop() ?? '{}');
  if (report.state !== 'open') fail(`${flag}: the circuit is ${report.state}, not open\n${stderr}`);
  if (report.status !== 400 || report.by !== 'circuit-open')
    fail(`${flag}: the call while open got ${report.status} (${report.by}), not the local reply (400)`);
  const metrics = new Set(
    received
      .filter((r) => r.path === '/v1/metrics')
      .flatMap((r) =>
        r.body.resourceMetrics.flatMap((rm) =>
          rm.scopeMetrics.flatMap((sm) => sm.metrics.map((m) => m.name)),
        ),
      ),
  );
  for (const name of ['ai_provider.requests', 'ai_provider.circuit.state', 'ai_provider.request.duration'])
    if (!metrics.has(name))
      fail(`${flag}: metric ${name} not exported (got ${[...metrics].join(', ') || 'none'})`);
  const spans = received
    .filter((r) => r.path === '/v1/traces')
    .flatMap((r) => r.body.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans)));
  const outcomes = spans
    .filter((s) => attribute(s.attributes, 'gen_ai.provider.name') === 'openai')
    .map((s) => attribute(s.attributes, 'ai_provider.outcome'));
  if (!outcomes.includes('provider_error') || !outcomes.includes('rejected'))
    fail(
      `${flag}: spans with outcomes ${outcomes.join(', ') || 'none'}; expected provider_error and rejected`,
    );
  process.stdout.write(
    `smoke (node ${process.version}) ${flag}: circuit open, local reply, ${metrics.size} metrics and ${spans.length} spans exported over http/protobuf\n`,
  );
}

provider.close();
receiver.close();
process.stdout.write(
  `smoke (node ${process.version}): passed in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
);
