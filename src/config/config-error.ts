/**
 * A symbol from the global registry, not `instanceof`: tsup ships both a CommonJS and an ESM
 * build, and the preload may load one copy while the application imports the other.
 */
const CONFIG_ERROR_BRAND: unique symbol = Symbol.for('provider-health.ConfigError');

/** Shown instead of a secret (the admin token) so that it never reaches a log line. */
export const REDACTED = '<redacted>';

export interface ConfigErrorDetails {
  /** Environment variable name, or option path such as `providers.openai.failureThreshold`. */
  key: string;
  /** The value that was given, as given. */
  value: unknown;
  /** What would have been accepted, phrased to follow "expected". */
  accepted: string;
  /** The config file the key was read from, when it came from one. */
  file?: string | undefined;
  /** The key itself is not known (a typo), rather than its value being wrong. */
  unknownKey?: boolean;
}

/** One invalid setting. Resolution stops at the first one so that the log shows one clear line. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'ERR_PROVIDER_HEALTH_CONFIG';
  readonly key: string;
  readonly value: unknown;
  readonly accepted: string;
  readonly file: string | undefined;
  readonly [CONFIG_ERROR_BRAND] = true;

  constructor(details: ConfigErrorDetails, options?: ErrorOptions) {
    super(formatConfigError(details), options);
    this.key = details.key;
    this.value = details.value;
    this.accepted = details.accepted;
    this.file = details.file;
  }
}

export function isConfigError(error: unknown): error is ConfigError {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { [CONFIG_ERROR_BRAND]?: unknown })[CONFIG_ERROR_BRAND] === true
  );
}

function formatConfigError(details: ConfigErrorDetails): string {
  const where = details.file === undefined ? '' : ` in ${details.file}`;
  const what = details.unknownKey
    ? `unknown option ${details.key}${where}`
    : `invalid ${details.key}=${renderValue(details.value)}${where}`;
  return `provider-health: ${what}: expected ${details.accepted}`;
}

const MAX_RENDERED = 120;

/** JSON quoting escapes newlines and control characters, so a value cannot forge log lines. */
export function renderValue(value: unknown): string {
  if (value === REDACTED) return REDACTED;
  let text: string;
  if (typeof value === 'string') text = JSON.stringify(value);
  else if (typeof value === 'number' || typeof value === 'boolean' || value === undefined)
    text = String(value);
  else if (typeof value === 'bigint') text = `${value}n`;
  else if (typeof value === 'function') text = '[function]';
  else if (typeof value === 'symbol') text = value.toString();
  else text = safeJson(value);
  return text.length > MAX_RENDERED ? `${text.slice(0, MAX_RENDERED)}…` : text;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? Object.prototype.toString.call(value);
  } catch {
    // Circular structures and BigInts inside objects: the type is still worth showing.
    return Object.prototype.toString.call(value);
  }
}
