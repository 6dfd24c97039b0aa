/** Reads the command line with node:util's parseArgs, turning its errors into messages that name the option. */
import { parseArgs } from 'node:util';
import type { OptionSource } from '../config/options.js';
import { UsageError } from '../config/usage-error.js';
import type { Command } from '../render.js';

const OPTIONS = {
  naming: { type: 'string' },
  selector: { type: 'string' },
  'runbook-url': { type: 'string' },
  threshold: { type: 'string', multiple: true },
  for: { type: 'string', multiple: true },
  out: { type: 'string' },
  config: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const COMMANDS: readonly Command[] = ['dashboards', 'alerts'];
const ACCEPTED_OPTIONS = Object.keys(OPTIONS)
  .map((name) => `--${name}`)
  .join(', ');

export interface CommandLine {
  command?: Command;
  help: boolean;
  config?: string;
  source: OptionSource;
}

function translate(error: unknown): never {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const option = /--[\w-]+/.exec(message)?.[0] ?? /'(-[^' ,]+)/.exec(message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
    throw new UsageError(`unknown option ${option}; accepted: ${ACCEPTED_OPTIONS} (see --help)`);
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const takesValue = !/does not take an argument/.test(message);
    throw new UsageError(
      takesValue
        ? `${option}: a value is missing (${option} VALUE or ${option}=VALUE)`
        : `${option} takes no value`,
    );
  }
  throw error;
}

export function readCommandLine(argv: readonly string[]): CommandLine {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    translate(error);
  }
  const { values, positionals } = parsed;
  const help = values.help === true;
  if (positionals.length > 1)
    throw new UsageError(
      `one command expected, got ${positionals.map((p) => JSON.stringify(p)).join(' ')}; accepted: ${COMMANDS.join(', ')}`,
    );
  const first = positionals[0];
  if (first !== undefined && !(COMMANDS as readonly string[]).includes(first))
    throw new UsageError(`unknown command ${JSON.stringify(first)}; accepted: ${COMMANDS.join(', ')}`);
  const { config, help: _help, ...rest } = values;
  return {
    ...(first === undefined ? {} : { command: first as Command }),
    help,
    ...(config === undefined ? {} : { config }),
    source: { describe: (key) => `--${key}`, values: rest },
  };
}
