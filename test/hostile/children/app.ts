/**
 * The application the hostile tests run in a child process: the interception tests' child
 * (test/intercept/children) plus commands that play a hostile caller, callback or client.
 */
import { callCommands } from '../../intercept/children/calls.js';
import { probeCommands } from '../../intercept/children/probes.js';
import { serve } from '../../intercept/children/runtime.js';
import { callbackCommands } from './callbacks.js';
import { loopCommands } from './event-loop.js';
import { liveServerCommands } from './live-server.js';
import { appServerCommands, processCommands } from './process-info.js';

serve({
  ...callCommands,
  ...probeCommands,
  ...loopCommands,
  ...callbackCommands,
  ...processCommands,
  ...appServerCommands,
  ...liveServerCommands,
});
