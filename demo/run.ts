/**
 * The demo: fake OpenAI, Anthropic and fal.ai servers play a scripted outage while a small
 * service, started with `--require provider-health/register`, keeps calling them through the
 * official SDKs. The terminal shows each provider's health and every breaker transition live.
 *
 *   npm run demo                      # until Ctrl-C
 *   npm run demo -- --fast            # the scenario 4x faster
 *   npm run demo -- --duration 40     # stop after 40 s, exit 0
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { type FakeProvider, freePort, runTimeline, startFakeProvider } from '../fake-provider/index.js';
import { parseArgs, USAGE } from './args.js';
import { type DemoProvider, SCENARIO, SCENARIO_SECONDS, timing } from './scenario.js';
import { followEvents } from './sse-client.js';
import { type ProviderRow, TerminalView, type Traffic } from './terminal-view.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ADMIN_TOKEN = 'demo-admin-token';
const PROVIDERS: DemoProvider[] = ['openai', 'anthropic', 'fal'];

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`demo: ${(error as Error).message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  if (parsed === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const { fast, duration } = parsed;
  const time = timing(fast);

  const fakes = {} as Record<DemoProvider, FakeProvider>;
  for (const name of PROVIDERS) fakes[name] = await startFakeProvider({ flavor: name });
  const [healthPort, metricsPort] = [await freePort(), await freePort()];
  const healthUrl = `http://127.0.0.1:${healthPort}`;

  const view = new TerminalView(process.stdout.isTTY === true, [
    `\x1b[1mprovider-health demo\x1b[0m${fast ? ' (fast)' : ''}: a service calling OpenAI, Anthropic and fal.ai while they slow down and fail`,
    `  status page   ${healthUrl}/            (admin token for the reset buttons: ${ADMIN_TOKEN})`,
    `  health JSON   ${healthUrl}/health/providers`,
    `  events        ${healthUrl}/health/events`,
    `  Prometheus    http://127.0.0.1:${metricsPort}/metrics`,
    '  Ctrl-C stops everything',
  ]);

  // The scenario starts once the service reports its first traffic: its start-up (SDK imports,
  // a slow machine) must not eat the first outage of the timeline.
  let stopTimelines = (): void => undefined;
  let playing = false;
  let chatRoute = 'none';
  const client = startClient(fakes, healthPort, metricsPort, time);
  createInterface({ input: client.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    try {
      const message = JSON.parse(line) as { type?: string } & Traffic;
      if (message.type !== 'traffic') return;
      view.setTraffic(message);
      if (message.chatRoute !== chatRoute && message.chatRoute !== 'none') {
        if (chatRoute !== 'none') view.event(`chat now goes to ${message.chatRoute}`);
        chatRoute = message.chatRoute;
      }
      if (!playing) {
        playing = true;
        stopTimelines = playScenario(fakes, time.speed, (label) => view.event(`scenario: ${label}`));
      }
    } catch {
      // Not ours.
    }
  });
  const stderrTail: string[] = [];
  createInterface({ input: client.stderr as NodeJS.ReadableStream }).on('line', (line) => {
    stderrTail.push(line);
    if (stderrTail.length > 20) stderrTail.shift();
  });

  const stopEvents = followEvents(`${healthUrl}/health/events`, (event) => {
    if (event.type === 'transition') {
      const detail = typeof event.detail === 'string' ? `: ${event.detail}` : '';
      view.event(
        `transition ${String(event.provider)} ${String(event.from)} -> ${String(event.to)} (${String(event.reason)}${detail})`,
      );
    } else if (event.type === 'status') {
      const reasons = Array.isArray(event.reasons) ? event.reasons.join(', ') : '';
      view.event(
        `status ${String(event.provider)} ${String(event.previous)} -> ${String(event.status)}${reasons === '' ? '' : ` (${reasons})`}`,
      );
    }
  });
  const poller = setInterval(() => void poll(healthUrl, view), 500);

  let stopping = false;
  const stop = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    clearInterval(poller);
    stopEvents();
    stopTimelines();
    await stopChild(client);
    await Promise.all(PROVIDERS.map((name) => fakes[name].close()));
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  client.once('exit', (code) => {
    if (stopping) return;
    process.stderr.write(`demo: the client service exited (${String(code)}):\n${stderrTail.join('\n')}\n`);
    void stop(1);
  });
  if (duration !== undefined) setTimeout(() => void stop(0), duration * 1000);
}

/** Plays the scenario on every fake, and again from the start each time it ends. */
function playScenario(
  fakes: Record<DemoProvider, FakeProvider>,
  speed: number,
  onStep: (label: string) => void,
): () => void {
  let stops: Array<() => void> = [];
  const round = (): void => {
    stops = PROVIDERS.map((name) =>
      runTimeline(
        fakes[name],
        SCENARIO[name].map((step) => ({
          atMs: step.at * 1000,
          behaviour: step.behaviour,
          label: step.label,
        })),
        { speed, onStep: (step) => onStep(step.label ?? '') },
      ),
    );
  };
  round();
  const loop = setInterval(round, (SCENARIO_SECONDS * 1000) / speed);
  return () => {
    clearInterval(loop);
    for (const stopTimeline of stops) stopTimeline();
  };
}

function startClient(
  fakes: Record<DemoProvider, FakeProvider>,
  healthPort: number,
  metricsPort: number,
  time: ReturnType<typeof timing>,
): ChildProcess {
  const hostOf = (fake: FakeProvider): string => new URL(fake.url).host;
  return spawn(
    process.execPath,
    ['--require', 'provider-health/register', '--import', 'tsx', 'demo/client.ts'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        PROVIDER_HEALTH_PROVIDERS: PROVIDERS.map((name) => `${name}=${hostOf(fakes[name])}`).join(','),
        PROVIDER_HEALTH_RECOVERY_TIMEOUT: String(time.recoveryTimeoutMs),
        PROVIDER_HEALTH_STATS_WINDOW: String(time.statsWindowMs),
        PROVIDER_HEALTH_DEGRADED_LATENCY_BASELINE: time.degradedLatencyBaseline,
        PROVIDER_HEALTH_SERVER: `127.0.0.1:${healthPort}`,
        PROVIDER_HEALTH_ADMIN_TOKEN: ADMIN_TOKEN,
        PROVIDER_HEALTH_CHECK_INTERVAL: 'off',
        OTEL_SERVICE_NAME: 'provider-health-demo',
        OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
        OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
        DEMO_OPENAI_URL: fakes.openai.url,
        DEMO_ANTHROPIC_URL: fakes.anthropic.url,
        DEMO_FAL_URL: fakes.fal.url,
      },
    },
  );
}

/** Whether each provider's early warning was up at the last poll. */
const warned = new Map<string, boolean>();

async function poll(healthUrl: string, view: TerminalView): Promise<void> {
  try {
    const response = await fetch(`${healthUrl}/health/providers`);
    const body = (await response.json()) as { providers: Record<string, ProviderJson> };
    for (const name of PROVIDERS) {
      const p = body.providers[name];
      const warning = p?.metrics.trend?.warning === true;
      if (p === undefined || warning === (warned.get(name) ?? false)) continue;
      warned.set(name, warning);
      view.event(warning ? `early warning ${name}: ${earlyWarning(p)}` : `early warning ${name} cleared`);
    }
    view.setRows(
      PROVIDERS.map((name) => body.providers[name])
        .filter((p): p is ProviderJson => p !== undefined)
        .map(toRow),
    );
  } catch {
    // The service is still starting.
  }
}

interface ProviderJson {
  name: string;
  status: string;
  circuit_state: string;
  next_trial_in: number | null;
  metrics: {
    failure_rate: number;
    p95_response_time: number | null;
    p95_time_to_first_byte: number | null;
    rejected_requests: number;
    total_requests: number;
    baseline: { p95_time_to_first_byte: number; failure_rate: number } | null;
    trend?: { warning: boolean; signals: string[] };
  };
}

/** `latency trending up (time to first byte 1.51 s, normal 0.01 s)` */
function earlyWarning(p: ProviderJson): string {
  const m = p.metrics;
  const s = (seconds: number | null | undefined) =>
    typeof seconds === 'number' ? `${seconds.toFixed(2)} s` : '-';
  return `${m.trend?.signals.join(' and ') ?? ''} trending up (p95 time to first byte ${s(m.p95_time_to_first_byte)}, normal ${s(m.baseline?.p95_time_to_first_byte)}; failures ${(m.failure_rate * 100).toFixed(1)}%, normal ${((m.baseline?.failure_rate ?? 0) * 100).toFixed(1)}%)`;
}

function toRow(p: ProviderJson): ProviderRow {
  return {
    name: p.name,
    status: p.status,
    circuit: p.circuit_state,
    failureRate: p.metrics.failure_rate,
    p95Seconds: p.metrics.p95_response_time,
    rejected: p.metrics.rejected_requests,
    total: p.metrics.total_requests,
    nextTrialIn: p.next_trial_in,
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

void main();
