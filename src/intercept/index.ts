import { installGlobalDispatcher, uninstallGlobalDispatcher } from './global-dispatcher.js';
import { installHttpAgentPatch, uninstallHttpAgentPatch } from './http-agent.js';
import { installHttp2Patch, uninstallHttp2Patch } from './http2-session.js';

export { wrapDispatcher } from './global-dispatcher.js';
export { ProviderDispatcher } from './provider-dispatcher.js';

/** Starts watching fetch, undici, node:http / https and node:http2. Idempotent. */
export function installInterception(): void {
  installGlobalDispatcher();
  installHttpAgentPatch();
  installHttp2Patch();
}

export function uninstallInterception(): void {
  uninstallGlobalDispatcher();
  uninstallHttpAgentPatch();
  uninstallHttp2Patch();
}
