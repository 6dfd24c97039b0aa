/**
 * Runs Debian's promtool and amtool. A missing tool fails the test with the package to
 * install: these checks are the point of the suite, so they never skip.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const PACKAGE: Readonly<Record<string, string>> = {
  promtool: 'prometheus',
  amtool: 'prometheus-alertmanager',
};

export function requireTool(tool: 'promtool' | 'amtool'): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, tool);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  throw new Error(`${tool} not found on PATH: apt-get install ${PACKAGE[tool]} (.ci/run does this)`);
}

export interface ToolResult {
  status: number | null;
  stdout: string;
  /** stdout and stderr together, for assertion messages. */
  output: string;
}

export function runTool(tool: 'promtool' | 'amtool', args: readonly string[], cwd?: string): ToolResult {
  const result = spawnSync(requireTool(tool), args, { cwd, encoding: 'utf8', timeout: 120_000 });
  return {
    status: result.status,
    stdout: result.stdout ?? '',
    output: `${result.stdout ?? ''}${result.stderr ?? ''}`,
  };
}
