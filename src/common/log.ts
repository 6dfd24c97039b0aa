import { registeredDiag } from './otel-global.js';

/**
 * The plugin's own log lines: one JSON object a line on stderr, prefixed so they are easy to grep,
 * and mirrored to the OTel diag logger when the service registered one. Internal failures are logged once per key, so a fault on
 * the request path costs one line, not one per request. Nothing here ever throws: logging must
 * never be the thing that breaks the host (docs/design.md, "The host never pays").
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

// On globalThis under Symbol.for: the preload loads the CommonJS build and the app may import the
// ESM build; both copies must share one level and one "logged once" memory, or a configuration
// error would be printed once per copy.
const STATE = Symbol.for('provider-health.log');
interface LogState {
  threshold: number;
  once: Set<string>;
}
type GlobalWithLog = typeof globalThis & { [STATE]?: LogState };

function state(): LogState {
  const holder = globalThis as GlobalWithLog;
  holder[STATE] ??= { threshold: RANK[initialLevel()], once: new Set() };
  return holder[STATE];
}

function initialLevel(): LogLevel {
  const value = process.env.PROVIDER_HEALTH_LOG_LEVEL?.trim().toLowerCase();
  return (LOG_LEVELS as readonly string[]).includes(value ?? '') ? (value as LogLevel) : 'info';
}

const MAX_ONCE_KEYS = 1000;

export function setLogLevel(level: LogLevel): void {
  state().threshold = RANK[level];
}

export function log(
  level: Exclude<LogLevel, 'silent'>,
  message: string,
  fields: Record<string, unknown> = {},
): void {
  try {
    const diag = registeredDiag();
    if (diag !== undefined) {
      if (level === 'error' || level === 'warn') diag.warn(`provider-health: ${message}`);
      else diag.debug(`provider-health: ${message}`);
    }
    if (RANK[level] < state().threshold) return;
    const line = JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...fields });
    process.stderr.write(`provider-health ${line}\n`);
  } catch {
    // A field that cannot be serialised, a closed stderr: the line is lost, the host is not.
  }
}

/** Logs `error` under `key` the first time in this process only; later calls with the same key are silent. */
export function logOnce(key: string, message: string, error?: unknown): void {
  const once = state().once;
  if (once.has(key)) return;
  if (once.size < MAX_ONCE_KEYS) once.add(key);
  log('error', message, error === undefined ? {} : { error: describeError(error) });
}

/** Whether `logOnce(key, …)` has already written its line (tests, and callers that add detail). */
export function loggedOnce(key: string): boolean {
  return state().once.has(key);
}

// Long enough for a configuration error, which names the key, the value and everything accepted
// (all the PROVIDER_HEALTH_* variables for a misspelt one); still bounded for anything thrown.
const MAX_DESCRIPTION = 1000;

/**
 * A short description of anything thrown. Never throws itself, whatever it is given: a value
 * with no prototype, an Error whose `message` or `name` getter throws, a Proxy, a revoked Proxy.
 */
export function describeError(error: unknown): string {
  try {
    if (error instanceof Error) return clip(`${text(() => error.name)}: ${text(() => error.message)}`);
    if (typeof error === 'object' && error !== null) return clip(Object.prototype.toString.call(error));
    return clip(String(error));
  } catch {
    return '[unprintable value]';
  }
}

function text(read: () => unknown): string {
  try {
    const value = read();
    return typeof value === 'string' ? value : '?';
  } catch {
    return '?';
  }
}

function clip(value: string): string {
  return value.length > MAX_DESCRIPTION ? `${value.slice(0, MAX_DESCRIPTION)}…` : value;
}
