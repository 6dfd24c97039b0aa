/**
 * Runs every core benchmark, each in its own process (so one's JIT and heap do not colour the
 * next), with the flags they need. Run: npm run bench:core
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

for (const file of ['admission.ts', 'added-cost.ts', 'lookup.ts', 'usage.ts', 'memory.ts']) {
  execFileSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', fileURLToPath(new URL(file, import.meta.url))],
    {
      stdio: 'inherit',
    },
  );
}
