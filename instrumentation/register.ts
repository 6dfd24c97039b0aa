/**
 * The preload entry: `node --require provider-health/register app.js`,
 * `node --import provider-health/register app.mjs`, or the same through NODE_OPTIONS.
 * Loading it twice (both flags, or CJS and ESM builds) starts the plugin once.
 *
 * `PROVIDER_HEALTH_MODE=off` in the environment (which wins over a config file) returns before
 * the plugin's code is even read: a service that keeps the flag and turns the plugin off pays
 * for one file. Otherwise both builds run the CommonJS build of the package's main entry
 * (`start()` of src/start.ts), which an application's `require('provider-health')` then shares.
 */
import { createRequire } from 'node:module';

// Environment values are trimmed and the mode is matched exactly, as src/config/option-table.ts reads them.
if (process.env.PROVIDER_HEALTH_MODE?.trim() !== 'off') {
  const main = createRequire(import.meta.url)('./index.cjs') as typeof import('../src/start.js');
  main.start();
}
