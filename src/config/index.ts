export { ConfigError, type ConfigErrorDetails, isConfigError } from './config-error.js';
export { DURATION_ACCEPTED, MAX_DURATION_MS, parseDuration, parsePositiveDuration } from './duration.js';
export { loadConfigFile } from './file.js';
export { parseHostPattern, parseProviderName } from './host-pattern.js';
export { type Env, mergeLayers, normalizeOptions, readEnvOptions } from './layers.js';
export {
  DEFAULT_OPTIONS,
  ENV_VARS,
  MODES,
  OPTION_TABLE,
  type OptionLayer,
  type OptionSpec,
  REJECT_WITH,
} from './option-table.js';
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
