/**
 * The preload entry: `node --require provider-health/register app.js`,
 * `node --import provider-health/register app.mjs`, or the same through NODE_OPTIONS.
 * Loading it twice (both flags, or CJS and ESM builds) starts the plugin once.
 */
import { start } from '../src/start.js';

start();
