/**
 * The application the interception tests, the client matrix and the fleet tests run in a child
 * process, with the plugin preloaded by --require, --import or NODE_OPTIONS (or loaded later by
 * the `loadPlugin` command). Commands: see `calls.ts`, `probes.ts` and `fleet.ts`. Loopback only:
 * the guard comes first, before any client library.
 */
import './loopback-guard.js';
import { callCommands } from './calls.js';
import { fleetCommands } from './fleet.js';
import { probeCommands } from './probes.js';
import { serve } from './runtime.js';

serve({ ...callCommands, ...probeCommands, ...fleetCommands });
