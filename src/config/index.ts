export { ConfigError, type ConfigErrorDetails, isConfigError } from './config-error.js';
export { DEFAULT_OPTIONS, MODES, REJECT_WITH } from './defaults.js';
export { DURATION_ACCEPTED, MAX_DURATION_MS, parseDuration, parsePositiveDuration } from './duration.js';
export { ENV_VARS, type Env, readEnvOptions } from './env.js';
export { loadConfigFile } from './file.js';
export { parseHostPattern, parseProviderName } from './host-pattern.js';
export type { OptionLayer } from './layer.js';
export { normalizeOptions } from './normalize.js';
export type {
  DurationInput,
  Mode,
  ProviderHealthOptions,
  ProviderOptions,
  RejectWith,
  ResolvedOptions,
  ResolvedProviderOptions,
} from './options.js';
export { TRIPPABLE_OUTCOMES } from './provider-options.js';
export { resolveOptions, resolveProviderOptions } from './resolve.js';
export {
  DEFAULT_SERVER_HOST,
  DEFAULT_SERVER_PORT,
  parseServer,
  type ServerAddress,
} from './server-address.js';
