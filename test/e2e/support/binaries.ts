/**
 * Finds Debian's Prometheus and Alertmanager binaries. A missing one fails the suite with the
 * package to install: the end-to-end run is the point of this suite, so it never skips.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export type Binary = 'prometheus' | 'alertmanager';

// Debian names Alertmanager's binary after its package; an upstream tarball calls it `alertmanager`.
const NAMES: Readonly<Record<Binary, readonly string[]>> = {
  prometheus: ['prometheus'],
  alertmanager: ['prometheus-alertmanager', 'alertmanager'],
};

const PACKAGES: Readonly<Record<Binary, string>> = {
  prometheus: 'prometheus',
  alertmanager: 'prometheus-alertmanager',
};

export function requireBinary(binary: Binary): string {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter((dir) => dir !== '');
  for (const name of NAMES[binary])
    for (const dir of dirs) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not in this directory
      }
    }
  throw new Error(
    `${NAMES[binary].join(' / ')} not found on PATH: apt-get install ${PACKAGES[binary]} ` +
      '(.ci/run does this), then stop the service Debian starts with it',
  );
}
