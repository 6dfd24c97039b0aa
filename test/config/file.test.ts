import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/index.js';
import { configErrorFrom } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'provider-health-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let counter = 0;
function write(extension: string, text: string): string {
  const path = join(dir, `config-${counter++}.${extension}`);
  writeFileSync(path, text);
  return path;
}

const YAML_CONFIG = `
mode: observe
server: off          # YAML 1.2: stays the string "off"
checkInterval: off
recoveryTimeout: 30s
failureThreshold: 4
degradedFailureRate: 0.2
providers:
  openai:
    hosts: [127.0.0.1:4010, API.openai.com]
    failureThreshold: 2
    tripOn: [provider_error, rate_limited, rate_limited]
  gcp.gemini:
    hosts: ['*-aiplatform.googleapis.com']
    trialTimeout: 5s
    healthCheckUrl: https://status.example.com/health
`;

describe('loadConfigFile', () => {
  it('reads YAML into a validated layer', () => {
    const layer = loadConfigFile(write('yaml', YAML_CONFIG));
    expect(layer).toMatchObject({
      mode: 'observe',
      server: false,
      checkIntervalMs: false,
      recoveryTimeoutMs: 30_000,
      failureThreshold: 4,
      degradedFailureRate: 0.2,
    });
    expect(Object.fromEntries(layer.providers ?? [])).toEqual({
      openai: {
        hosts: ['127.0.0.1:4010', 'api.openai.com'],
        failureThreshold: 2,
        tripOn: ['provider_error', 'rate_limited'],
      },
      'gcp.gemini': {
        hosts: ['*-aiplatform.googleapis.com'],
        trialTimeout: 5_000,
        healthCheckUrl: 'https://status.example.com/health',
      },
    });
  });

  it('reads JSON, and YAML under .yml', () => {
    const json = { rejectWith: 'error', providers: { 'my-llm': { hosts: ['*.llm.internal'] } } };
    const fromJson = loadConfigFile(write('json', JSON.stringify(json)));
    expect(fromJson.rejectWith).toBe('error');
    expect(fromJson.providers?.get('my-llm')).toEqual({ hosts: ['*.llm.internal'] });
    expect(loadConfigFile(write('yml', 'statsWindow: 10m\n')).statsWindowMs).toBe(600_000);
  });

  it('treats an empty file as setting nothing', () => {
    expect(loadConfigFile(write('yaml', '\n# nothing yet\n'))).toEqual({});
    expect(loadConfigFile(write('json', ''))).toEqual({});
  });

  it('names the path when the file is missing or unreadable', () => {
    const missing = join(dir, 'missing.yaml');
    const error = configErrorFrom(() => loadConfigFile(missing, 'PROVIDER_HEALTH_CONFIG'));
    expect(error.message).toContain(`invalid PROVIDER_HEALTH_CONFIG=${JSON.stringify(missing)}`);
    expect(error.message).toContain('expected a readable JSON or YAML file (ENOENT');
    expect(configErrorFrom(() => loadConfigFile(dir)).message).toContain('EISDIR');
    expect(configErrorFrom(() => loadConfigFile('a\0b')).key).toBe('configFile');
  });

  it('names the path on a syntax error', () => {
    const json = write('json', '{"mode": "observe",}');
    expect(configErrorFrom(() => loadConfigFile(json)).message).toContain(
      `="${json}": expected valid JSON (`,
    );
    const yaml = write('yaml', 'mode: observe\nmode: off\n');
    expect(configErrorFrom(() => loadConfigFile(yaml)).accepted).toMatch(
      /^valid YAML \(Map keys must be unique/,
    );
    const multi = write('yaml', 'mode: off\n---\nmode: observe\n');
    expect(configErrorFrom(() => loadConfigFile(multi)).accepted).toMatch(/^valid YAML/);
  });

  it.each([
    ['failureTreshold: 3\n', 'failureTreshold', 'did you mean failureThreshold?'],
    ['providers:\n  openai:\n    host: [a.com]\n', 'providers.openai.host', 'did you mean hosts?'],
    ['providers:\n  gcp.gemini:\n    tripon: [timeout]\n', 'providers["gcp.gemini"].tripon', 'tripOn'],
    ['configFile: other.yaml\n', 'configFile', 'one of mode, rejectWith'],
  ])('rejects unknown keys: %j', (text, key, accepted) => {
    const path = write('yaml', text);
    const error = configErrorFrom(() => loadConfigFile(path));
    expect(error.message).toMatch(
      new RegExp(`^provider-health: unknown option ${escapeRegExp(key)} in ${escapeRegExp(path)}`),
    );
    expect(error.key).toBe(key);
    expect(error.file).toBe(path);
    expect(error.accepted).toContain(accepted);
  });

  it.each([
    ['failureThreshold: 0\n', 'failureThreshold=0', 'an integer from 1 to 1000'],
    ['failureThreshold: "5"\n', 'failureThreshold="5"', 'an integer from 1 to 1000'],
    ['failureThreshold:\n', 'failureThreshold=null', 'an integer from 1 to 1000'],
    ['- mode\n', '(top level)=["mode"]', 'an object with any of mode'],
    ['providers: [openai]\n', 'providers=["openai"]', 'an object of provider names'],
    ['providers:\n  OpenAI: {}\n', 'providers.OpenAI="OpenAI"', 'a provider name'],
    [
      'providers:\n  openai:\n    hosts: api.openai.com\n',
      'providers.openai.hosts="api.openai.com"',
      'an array',
    ],
    ['providers:\n  openai:\n    hosts: [ok.com, "*"]\n', 'providers.openai.hosts[1]="*"', 'a host pattern'],
    [
      'providers:\n  openai:\n    tripOn: [timeout, 5xx]\n',
      'providers.openai.tripOn[1]="5xx"',
      'one of provider_error',
    ],
    [
      'providers:\n  openai:\n    tripOn: [success]\n',
      'providers.openai.tripOn[0]="success"',
      'one of provider_error',
    ],
    [
      'providers:\n  openai:\n    healthCheckUrl: ftp://x\n',
      'providers.openai.healthCheckUrl="ftp://x"',
      'an http(s) URL',
    ],
    ['providers:\n  openai: null\n', 'providers.openai=null', 'an object with any of hosts'],
  ])('rejects bad values with the file and option path: %j', (text, keyAndValue, accepted) => {
    const path = write('yaml', text);
    const error = configErrorFrom(() => loadConfigFile(path));
    expect(error.message).toContain(`invalid ${keyAndValue} in ${path}: expected ${accepted}`);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
