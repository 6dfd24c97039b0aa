/** `--config FILE`: the same keys as the command-line options, in JSON or YAML. */
import { readFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { OPTION_KEYS, type OptionKey, type OptionSource } from './options.js';
import { UsageError } from './usage-error.js';

const FORMATS = '.json, .yaml or .yml';

export function readConfigFile(path: string): OptionSource {
  const extension = extname(path).toLowerCase();
  if (!['.json', '.yaml', '.yml'].includes(extension))
    throw new UsageError(`--config ${JSON.stringify(path)}: a file ending in ${FORMATS}`);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--config ${JSON.stringify(path)}: cannot read it (${(error as Error).message})`);
  }
  let parsed: unknown;
  try {
    parsed = extension === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new UsageError(
      `--config ${JSON.stringify(path)}: not valid ${extension.slice(1).toUpperCase()} (${(error as Error).message})`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new UsageError(`--config ${JSON.stringify(path)}: a mapping of ${OPTION_KEYS.join(', ')}`);
  const values: Partial<Record<OptionKey, unknown>> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!(OPTION_KEYS as readonly string[]).includes(key))
      throw new UsageError(
        `--config ${JSON.stringify(path)}: unknown key ${JSON.stringify(key)}; accepted: ${OPTION_KEYS.join(', ')}`,
      );
    values[key as OptionKey] = value;
  }
  // A relative `out` is read from where the file is, not from wherever the command runs.
  if (typeof values.out === 'string') values.out = resolve(dirname(path), values.out);
  return { describe: (key) => `${key} (in ${path})`, values };
}
