import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { assertBuilt, ChildSession } from '../intercept/support/child-session.js';
import { EVENTUALLY } from '../support/waits.js';
import { HOSTILE_APP } from './support/hostile-app.js';

const children: ChildSession[] = [];

async function run(env: Record<string, string>): Promise<{ child: ChildSession; lines: string[] }> {
  const child = await ChildSession.start({ preload: 'require', script: HOSTILE_APP, env });
  children.push(child);
  // The app's own copy of the package (the ESM build) resolves the configuration too.
  await child.call('providerFor', { host: 'github.com' });
  const lines = () => child.stderr.split('\n').filter((line) => line !== '');
  await vi.waitFor(() => expect(lines().length).toBeGreaterThan(0), EVENTUALLY);
  return { child, lines: lines() };
}

describe('absurd configuration', () => {
  beforeAll(() => assertBuilt());
  afterAll(async () => {
    await Promise.all(children.map((child) => child.close()));
  });

  it.each([
    ['PROVIDER_HEALTH_CHECK_INTERVAL', '1ms', 'a duration from 1s'],
    ['PROVIDER_HEALTH_STATS_WINDOW', '1ms', 'a duration from 1s'],
    ['PROVIDER_HEALTH_CHECK_TIMEOUT', '1ms', 'a duration from 100ms'],
    ['PROVIDER_HEALTH_TRIAL_TIMEOUT', '1ms', 'a duration from 100ms'],
    ['PROVIDER_HEALTH_SUCCESS_THRESHOLD', '9007199254740991', 'an integer from 1 to 1000'],
    ['PROVIDER_HEALTH_FAILURE_THRESHOLD', '1001', 'an integer from 1 to 1000'],
    ['PROVIDER_HEALTH_PROVIDERS', 'openai=*.com', 'followed by a registrable domain', '*.com'],
    ['PROVIDER_HEALTH_PROVIDERS', 'openai=*.co.uk', 'followed by a registrable domain', '*.co.uk'],
  ])(
    '%s=%s is refused once per process, naming the key, the value and the bounds',
    async (key, value, bounds, shown = value) => {
      const { child, lines } = await run({ [key]: value });
      expect(lines, child.stderr).toHaveLength(1);
      expect(lines[0]).toContain(`invalid ${key}=${JSON.stringify(shown).replace(/"/g, '\\"')}`);
      expect(lines[0]).toContain(bounds);
      // Nothing is claimed by an over-broad pattern: github.com is nobody's.
      expect(await child.call('providerFor', { host: 'github.com' })).toBeNull();
    },
  );

  it('a YAML tag the parser does not know prints no line that is not JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'provider-health-yaml-'));
    const file = join(dir, 'config.yaml');
    writeFileSync(file, 'mode: !custom enforce\nfailureThreshold: 7\n');
    const { child, lines } = await run({ PROVIDER_HEALTH_CONFIG: file, PROVIDER_HEALTH_LOG_LEVEL: 'debug' });
    for (const line of lines) expect(line, child.stderr).toMatch(/^provider-health \{/);
  });
});
