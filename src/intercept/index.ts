import { installGlobalDispatcher, uninstallGlobalDispatcher } from './global-dispatcher.js';
import { installHttpAgentPatch, uninstallHttpAgentPatch } from './http-agent.js';

export { wrapDispatcher } from './global-dispatcher.js';
export { ProviderDispatcher } from './provider-dispatcher.js';

/** Starts watching fetch, undici and node:http / https. Idempotent. */
export function installInterception(): void {
  installGlobalDispatcher();
  installHttpAgentPatch();
}

export function uninstallInterception(): void {
  uninstallGlobalDispatcher();
  uninstallHttpAgentPatch();
}
