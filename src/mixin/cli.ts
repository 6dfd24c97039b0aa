#!/usr/bin/env node
/**
 * `npx provider-health dashboards|alerts [options]`: writes the dashboards, or the rules with
 * their promtool tests and the Alertmanager example, for the user's Prometheus. A separate
 * entry (dist/cli.js): neither the preload nor the main entry loads it.
 */
import { readCommandLine } from './cli/command-line.js';
import { usage } from './cli/usage.js';
import { readConfigFile } from './config/config-file.js';
import { resolveOptions } from './config/options.js';
import { UsageError } from './config/usage-error.js';
import { DEFAULT_OUT, render } from './render.js';
import { writeFiles } from './write-files.js';

function main(argv: readonly string[]): number {
  try {
    const line = readCommandLine(argv);
    if (line.help) {
      process.stdout.write(usage());
      return 0;
    }
    if (line.command === undefined)
      throw new UsageError('a command is required: dashboards or alerts (see --help)');
    const sources = line.config === undefined ? [line.source] : [readConfigFile(line.config), line.source];
    const options = resolveOptions(sources);
    const files = render(line.command, options);
    const out = options.out ?? DEFAULT_OUT[line.command];
    try {
      writeFiles(out, files);
    } catch (error) {
      process.stderr.write(`provider-health: cannot write to ${out}: ${(error as Error).message}\n`);
      return 1;
    }
    return 0;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`provider-health: ${error.message}\n`);
    return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
