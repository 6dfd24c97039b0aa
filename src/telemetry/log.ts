import { diag } from '@opentelemetry/api';

/**
 * The plugin's own log lines: one JSON object a line on stderr, prefixed so they are easy to grep,
 * and mirrored to the OTel diag logger. Internal failures are logged once per key, so a fault on
 * the request path costs one line, not one per request.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

function initialLevel(): LogLevel {
  const value = process.env.PROVIDER_HEALTH_LOG_LEVEL?.toLowerCase();
  return value !== undefined && value in LEVELS ? (value as LogLevel) : 'info';
}

let threshold = LEVELS[initialLevel()];
const loggedOnce = new Set<string>();
const MAX_ONCE_KEYS = 1000;

export function setLogLevel(level: LogLevel): void {
  threshold = LEVELS[level];
}

export function log(
  level: Exclude<LogLevel, 'silent'>,
  message: string,
  fields: Record<string, unknown> = {},
): void {
  try {
    if (level === 'error' || level === 'warn') diag.warn(`provider-health: ${message}`);
    else diag.debug(`provider-health: ${message}`);
    if (LEVELS[level] < threshold) return;
    const line = JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...fields });
    process.stderr.write(`provider-health ${line}\n`);
  } catch {
    // Logging must never be the thing that breaks the host.
  }
}

/** Logs `error` under `key` the first time only; later calls with the same key are silent. */
export function logOnce(key: string, message: string, error?: unknown): void {
  if (loggedOnce.has(key)) return;
  if (loggedOnce.size < MAX_ONCE_KEYS) loggedOnce.add(key);
  log('error', message, error === undefined ? {} : { error: describeError(error) });
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
