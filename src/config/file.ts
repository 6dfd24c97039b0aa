import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type * as Yaml from 'yaml';
import { lazyRequire } from '../common/lazy-require.js';
import { ConfigError } from './config-error.js';
import { normalizeOptions } from './layers.js';
import type { OptionLayer } from './option-table.js';

/**
 * Reads and validates a JSON or YAML config file (same shape as ProviderHealthOptions, without
 * `configFile`). `key` names where the path came from (`configFile`, `PROVIDER_HEALTH_CONFIG`),
 * which is what the user must fix when the file cannot be read. Synchronous because the
 * preload resolves options before the application's first line runs.
 */
export function loadConfigFile(path: string, key = 'configFile'): OptionLayer {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    // Any failure, including a path with a NUL byte (a TypeError from fs), is the path's fault.
    throw new ConfigError(
      { key, value: path, accepted: `a readable JSON or YAML file (${describe(error)})` },
      { cause: error },
    );
  }
  return normalizeOptions(parseText(text, path, key), path);
}

function parseText(text: string, path: string, key: string): unknown {
  // An empty file (or YAML with only comments) is a placeholder, not a mistake: it sets nothing.
  if (text.trim() === '') return {};
  const json = extname(path).toLowerCase() === '.json';
  try {
    // YAML 1.2 (the `yaml` default) keeps `off` a string, and rejects duplicate keys. Its
    // warnings (an unknown tag) would go to process.emitWarning, a line that is not JSON. yaml
    // is loaded only here: a JSON file or no file costs no start-up time for it.
    const parsed: unknown = json
      ? JSON.parse(text)
      : lazyRequire<typeof Yaml>('yaml').parse(text, { logLevel: 'error' });
    return parsed ?? {};
  } catch (error) {
    throw new ConfigError(
      { key, value: path, accepted: `valid ${json ? 'JSON' : 'YAML'} (${describe(error)})` },
      { cause: error },
    );
  }
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // yaml's messages carry a multi-line source excerpt; the first line says what and where.
  return message.split('\n')[0] ?? message;
}
