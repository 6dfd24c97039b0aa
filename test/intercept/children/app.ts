/**
 * The application the interception tests run in a child process, with the plugin preloaded by
 * --require, --import or NODE_OPTIONS (or loaded later by the `loadPlugin` command).
 * Commands: see `calls.ts`, `probes.ts` and `fleet.ts`.
 */
import { callCommands } from './calls.js';
import { fleetCommands } from './fleet.js';
import { probeCommands } from './probes.js';
import { serve } from './runtime.js';

serve({ ...callCommands, ...probeCommands, ...fleetCommands });
