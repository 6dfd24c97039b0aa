import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProvider, startFakeProvider } from '../../fake-provider/index.js';
import { resolveOptions } from '../../src/config/resolve.js';
import { hourNumber } from '../../src/health/hour-of-week.js';
import type { Provider } from '../../src/providers/provider.js';
import { ProviderRegistry } from '../../src/providers/registry.js';
import { type RunningHealthServer, startHealthServer } from '../../src/server/index.js';
import { HANG_MS } from '../support/waits.js';
import { ADMIN_TOKEN } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACT = 'test-artifacts/status-page.png';

/**
 * A clock `skew` ms behind the wall clock, so that the page's last-hour timeline has a history
 * to show: the test plays earlier outages at earlier times, then runs the live part at skew 0.
 */
let skew = 0;
const skewedClock = {
  now: () => Date.now() - skew,
  wallNow: () => Date.now() - skew,
  setTimer: (fn: () => void, ms: number) => setTimeout(fn, ms).unref(),
  clearTimer: (handle: unknown) => clearTimeout(handle as NodeJS.Timeout),
};
const MIN = 60_000;

let fake: FakeProvider;
let registry: ProviderRegistry;
let server: RunningHealthServer;
let context: BrowserContext;
let profile: string;

async function callFake(provider: Provider): Promise<void> {
  const admission = provider.admit();
  const started = performance.now();
  const res = await fetch(`${fake.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
  });
  await res.arrayBuffer();
  const outcome = res.ok ? 'success' : 'provider_error';
  provider.record(
    admission,
    outcome,
    res.status,
    performance.now() - started + 180,
    -1,
    `HTTP ${res.status}`,
  );
}

function play(provider: Provider, outcome: 'success' | 'provider_error', times: number, ms = 420): void {
  for (let i = 0; i < times; i++) {
    provider.record(
      provider.admit(),
      outcome,
      outcome === 'success' ? 200 : 503,
      ms + i * 37,
      -1,
      'HTTP 503',
    );
  }
}

/** Earlier outages, at their earlier times, for the timeline. */
function history(): void {
  const anthropic = registry.getOrCreateProvider('anthropic');
  const openai = registry.getOrCreateProvider('openai');
  const fal = registry.getOrCreateProvider('fal');
  const gemini = registry.getOrCreateProvider('gcp.gemini');
  skew = 52 * MIN;
  play(anthropic, 'provider_error', 5, 900);
  skew = 47 * MIN;
  void anthropic.breaker.state; // half-open: its recovery timeout has long passed
  anthropic.record(anthropic.admit(), 'success', 200, 700);
  skew = 44 * MIN;
  play(anthropic, 'success', 2, 650);
  skew = 31 * MIN;
  play(openai, 'success', 20, 380);
  play(openai, 'provider_error', 5, 2400);
  skew = 27 * MIN;
  void openai.breaker.state;
  play(openai, 'provider_error', 1, 2600);
  skew = 24 * MIN;
  void openai.breaker.state;
  openai.record(openai.admit(), 'success', 200, 540);
  skew = 21 * MIN;
  play(openai, 'success', 2, 520);
  skew = 9 * MIN;
  play(fal, 'success', 12, 1400);
  play(fal, 'provider_error', 5, 3100);
  skew = 2 * MIN;
  play(gemini, 'success', 14, 610);
  play(gemini, 'provider_error', 3, 900);
  // A baseline loaded from a previous run (baselineDir): 620 ms to first byte, 2% failures, every hour.
  const hour = hourNumber(Date.now());
  gemini.early.baseline.restore({
    version: 1,
    provider: 'gcp.gemini',
    savedAt: '',
    hours: Array.from({ length: 168 }, () => [620, 0.02, 2, hour] as const),
  });
  play(anthropic, 'success', 30, 540);
  skew = 0;
}

const badge = (page: Page, provider: string, state: string) =>
  page.waitForSelector(`tr[data-provider="${provider}"] td:nth-child(3) .badge.${state}`, {
    timeout: HANG_MS,
  });

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: run "apt-get install chromium" (or .ci/run, which installs it)`);
  }
  fake = await startFakeProvider({ flavor: 'openai' });
  registry = new ProviderRegistry(
    resolveOptions(
      {
        recoveryTimeout: 1500,
        adminToken: ADMIN_TOKEN,
        providers: {
          openai: { hosts: [new URL(fake.url).host] },
          anthropic: {},
          fal: { recoveryTimeout: '30m' },
          'gcp.gemini': {},
        },
      },
      {},
    ),
    skewedClock,
  );
  server = await startHealthServer(registry, { host: '127.0.0.1', port: 0 });
  history(); // after the server: its event hub keeps what the timeline draws
  profile = mkdtempSync(join(tmpdir(), 'ph-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1440, height: 640 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 60_000);

afterAll(async () => {
  await context?.close();
  await server?.close();
  await fake?.close();
  if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
});

describe('status page in Chromium', () => {
  it('shows a circuit open, then half-open, then closed, live and without a reload', async () => {
    const page = await context.newPage();
    // Counts the snapshots the page's EventSource receives. On connect the server sends the replay
    // (the history above) and then a snapshot: once one arrived, the replay has been shown.
    await page.addInitScript(() => {
      const w = window as unknown as { snapshots: number; EventSource: typeof EventSource };
      w.snapshots = 0;
      const Original = w.EventSource;
      w.EventSource = class extends Original {
        constructor(url: string | URL, init?: EventSourceInit) {
          super(url, init);
          this.addEventListener('snapshot', () => {
            w.snapshots++;
          });
        }
      };
    });
    await page.goto(server.url);
    await page.waitForSelector('#conn.live');
    await page.waitForFunction(() => (window as unknown as { snapshots: number }).snapshots > 0);
    await page.evaluate(() => {
      (window as unknown as { notReloaded: boolean }).notReloaded = true;
    });
    await badge(page, 'openai', 'closed');
    // Every state the openai badge shows, in order: the open state lasts only the recovery timeout,
    // which a busy machine can spend before a poll of the page would look.
    await page.evaluate(() => {
      const shown: string[] = [];
      (window as unknown as { openaiStates: string[] }).openaiStates = shown;
      const note = (): void => {
        const badge = document.querySelector('tr[data-provider="openai"] td:nth-child(3) .badge');
        const state =
          badge === null ? undefined : Array.from(badge.classList).find((name) => name !== 'badge');
        if (state !== undefined && shown.at(-1) !== state) shown.push(state);
      };
      note();
      const table = document.getElementById('providers');
      if (table !== null) new MutationObserver(note).observe(table, { childList: true, subtree: true });
    });
    const shownStates = () =>
      page.evaluate(() => (window as unknown as { openaiStates: string[] }).openaiStates);
    const openai = registry.getOrCreateProvider('openai');
    fake.setDefault({ status: 500 });
    for (let i = 0; i < 5; i++) await callFake(openai);
    await page.waitForFunction(
      () => (window as unknown as { openaiStates: string[] }).openaiStates.includes('open'),
      undefined,
      { timeout: HANG_MS },
    );
    // Open, or half-open already: either way openai is not available and the others are.
    expect(await page.textContent('#overall')).toBe('DEGRADED');
    await badge(page, 'openai', 'half_open'); // the breaker's own timer, 1.5 s later
    fake.setDefault({ kind: 'ok' });
    for (let i = 0; i < 3; i++) await callFake(openai);
    await badge(page, 'openai', 'closed');
    expect(await shownStates()).toEqual(['closed', 'open', 'half_open', 'closed']);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(
      true,
    );
    expect(await page.textContent('#events')).toContain('half-open → closed');
    // This hour's normal beside the current value, for a provider with a baseline.
    const gemini = 'tr[data-provider="gcp.gemini"]';
    expect(await page.textContent(`${gemini} td:nth-child(4) .normal`)).toBe('normal 2.0%');
    expect(await page.textContent(`${gemini} td:nth-child(6) .normal`)).toBe('normal 620 ms');
    expect(await page.$(`tr[data-provider="fal"] td:nth-child(6) .normal`)).toBeNull();

    await page.waitForTimeout(300); // let the coalesced snapshot land before the picture
    mkdirSync('test-artifacts', { recursive: true });
    await page.screenshot({ path: ARTIFACT, fullPage: true });
    if (process.env.UPDATE_DOCS_SCREENSHOT === '1') copyFileSync(ARTIFACT, 'docs/status-page.png');

    // Admin buttons unlock with the token and act on the breaker.
    expect(await page.isDisabled('tr[data-provider="fal"] button[data-action="reset"]')).toBe(true);
    await page.fill('#token', ADMIN_TOKEN);
    await page.click('#unlock');
    await page.click('tr[data-provider="fal"] button[data-action="reset"]');
    await badge(page, 'fal', 'closed');
    expect(registry.getProvider('fal')?.breaker.state).toBe('closed');
    await page.close();
  });

  it('is a readable table without JavaScript', async () => {
    const page = await context.browser()?.newPage({ javaScriptEnabled: false });
    const noJs = page ?? (await context.newPage());
    if (page === undefined) await noJs.route('**/assets/status.js', (route) => route.abort());
    await noJs.goto(server.url);
    const rows = await noJs.$$eval('#providers tr[data-provider]', (trs) =>
      trs.map((tr) =>
        Array.from(tr.querySelectorAll('td'))
          .slice(0, 3)
          .map((td) => td.textContent?.trim()),
      ),
    );
    expect(rows.map((r) => r[0])).toEqual(['anthropic', 'fal', 'gcp.gemini', 'openai']);
    expect(rows.every((r) => typeof r[1] === 'string' && typeof r[2] === 'string')).toBe(true);
    const gemini = await noJs.$$eval('#providers tr[data-provider="gcp.gemini"] td', (tds) =>
      tds.map((td) => td.textContent?.trim()),
    );
    expect(gemini[3]).toMatch(/^\d+\.\d%normal 2\.0%$/);
    expect(gemini[5]).toMatch(/normal 620 ms$/);
    await noJs.close();
  });
});
