/**
 * The preload entry: `node --require provider-health/register` or `--import provider-health/register`.
 * Creates the process-wide registry from the environment; interception comes with the
 * instrumentation layer.
 */
import { getRegistry } from '../src/providers/global-registry.js';
import { logOnce } from '../src/telemetry/log.js';

try {
  getRegistry();
} catch (error) {
  logOnce('register', 'provider-health is disabled: its configuration is invalid', error);
}
