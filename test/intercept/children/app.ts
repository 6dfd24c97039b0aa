/**
 * The application the interception tests and the client matrix run in a child process, with
 * the plugin preloaded by --require, --import or NODE_OPTIONS (or loaded later by the
 * `loadPlugin` command). Commands: see `calls.ts` and `probes.ts`. Loopback only: the guard
 * comes first, before any client library.
 */
import './loopback-guard.js';
import { callCommands } from './calls.js';
import { probeCommands } from './probes.js';
import { serve } from './runtime.js';

serve({ ...callCommands, ...probeCommands });
