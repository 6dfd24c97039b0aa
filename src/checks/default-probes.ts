import type { CheckTarget } from './check-target.js';
import { type HealthProbe, urlProbe } from './health-check.js';

/** How each built-in probe authenticates; listing models is free on every one of them. */
function authHeaders(provider: CheckTarget, key: string): Record<string, string> {
  switch (provider.name) {
    case 'anthropic':
      return { 'x-api-key': key, 'anthropic-version': '2023-06-01' };
    case 'gcp.gemini':
      return { 'x-goog-api-key': key };
    default:
      return { authorization: `Bearer ${key}` };
  }
}

/**
 * The probe a provider gets unless the user set one: its configured `healthCheckUrl`, else
 * the catalog's list-models call on its first fixed host when the API key is in the usual
 * environment variable. Undefined means "no probe": the check reports that instead of failing.
 */
export function defaultProbe(
  provider: CheckTarget,
  env: NodeJS.ProcessEnv = process.env,
): HealthProbe | undefined {
  const { healthCheckUrl, probePath, apiKeyEnv, hosts } = provider.config;
  if (healthCheckUrl !== false && healthCheckUrl !== '') return urlProbe(healthCheckUrl);
  if (probePath === undefined || apiKeyEnv === undefined) return undefined;
  const key = env[apiKeyEnv];
  const host = hosts.find((pattern) => !pattern.includes('*'));
  if (key === undefined || key === '' || host === undefined) return undefined;
  return urlProbe(`https://${host}${probePath}`, authHeaders(provider, key));
}

export function whyNoProbe(provider: CheckTarget): string {
  const { probePath, apiKeyEnv } = provider.config;
  if (probePath !== undefined && apiKeyEnv !== undefined) {
    return `no probe: set ${apiKeyEnv} for the built-in list-models check, or configure providers.${provider.name}.healthCheckUrl`;
  }
  return `no probe: configure providers.${provider.name}.healthCheckUrl or register one with setHealthProbe()`;
}
