/**
 * One benchmark variant in its own process (run by run.ts, which owns the loopback server so
 * that its CPU is not counted here). Prints one JSON line: per-request wall and CPU time for
 * sequential and 50-way concurrent fetch.
 */
import { performance } from 'node:perf_hooks';

const url = process.env.BENCH_URL ?? '';
const variant = process.env.BENCH_VARIANT ?? 'bare';
const sequential = Number(process.env.BENCH_SEQUENTIAL ?? 600);
const concurrent = Number(process.env.BENCH_CONCURRENT ?? 1500);
const WIDTH = 50;

async function setUp(): Promise<void> {
  if (variant === 'otel') {
    const { NodeTracerProvider } = await import('@opentelemetry/sdk-trace-node');
    const { InMemorySpanExporter, SimpleSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
    const { UndiciInstrumentation } = await import('@opentelemetry/instrumentation-undici');
    const exporter = new InMemorySpanExporter();
    const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    provider.register();
    const instrumentation = new UndiciInstrumentation();
    instrumentation.enable();
    // Spans must not pile up in memory during the run.
    setInterval(() => exporter.reset(), 200).unref();
  }
  if (variant === 'rejected') {
    const { getProvider } = await import('provider-health');
    getProvider('openai')?.breaker.forceOpen();
  }
}

async function one(): Promise<void> {
  const res = await fetch(url, { method: 'POST', body: '{}' });
  await res.arrayBuffer();
}

async function measure(count: number, width: number): Promise<{ wallUs: number; cpuUs: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      await one();
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  const used = process.cpuUsage(cpu);
  return { wallUs: ((performance.now() - started) * 1000) / count, cpuUs: (used.user + used.system) / count };
}

await setUp();
await measure(300, 10); // warm-up: JIT, connection pool
const seq = await measure(sequential, 1);
const conc = await measure(concurrent, WIDTH);
process.stdout.write(`${JSON.stringify({ variant, seq, conc })}\n`);
process.exit(0);
