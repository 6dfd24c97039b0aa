import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { uninstallInterception } from '../../src/intercept/index.js';
import { getRegistry } from '../../src/providers/global-registry.js';
import { start } from '../../src/start.js';

const REGISTRY = Symbol.for('provider-health.registry');
const STARTED = Symbol.for('provider-health.started');
// start() also starts telemetry (a tick later) and the health server: neither opens a port here.
beforeAll(() => {
  vi.stubEnv('OTEL_METRICS_EXPORTER', 'none');
  vi.stubEnv('OTEL_TRACES_EXPORTER', 'none');
  vi.stubEnv('PROVIDER_HEALTH_SERVER', 'off');
});
afterAll(async () => {
  await new Promise((resolve) => setImmediate(resolve));
  vi.unstubAllEnvs();
});
afterEach(() => {
  uninstallInterception();
  getRegistry().stopHealthMonitoring();
  delete (globalThis as Record<symbol, unknown>)[REGISTRY];
  delete (globalThis as Record<symbol, unknown>)[STARTED];
});

describe('start()', () => {
  it('keeps the registry the app already holds when started without options (the preload)', () => {
    const before = getRegistry();
    expect(start({})).toBe(before);
  });

  it('with options, builds a new registry that takes over callbacks registered on the old one', () => {
    const seen: string[] = [];
    getRegistry().healthMonitor.addStatusCallback((provider, status) => seen.push(`${provider}:${status}`));
    const registry = start({ failureThreshold: 1, server: false });
    expect(registry?.options.failureThreshold).toBe(1);
    const openai = registry?.getOrCreateProvider('openai');
    openai?.record(openai.admit(), 'provider_error', 500, 5);
    expect(seen).toContain('openai:unavailable');
  });

  it('starts active checks when the interval is set in code, not otherwise', () => {
    expect(start({ server: false })?.healthMonitoringRunning).toBe(false);
    delete (globalThis as Record<symbol, unknown>)[STARTED];
    expect(start({ server: false, checkInterval: '10m' })?.healthMonitoringRunning).toBe(true);
  });
});
