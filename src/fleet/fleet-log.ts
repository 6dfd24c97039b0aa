/**
 * Where the fleet writes its log lines: the plugin's own logger, passed in by whoever starts the
 * store (the fleet does not reach up into telemetry/).
 */
export type FleetLog = (
  level: 'debug' | 'info' | 'warn' | 'error',
  message: string,
  fields?: Record<string, unknown>,
) => void;

/** Logs each key once per store: a fault repeated on every message costs one line. */
export class LogOnce {
  private readonly seen = new Set<string>();

  constructor(private readonly log: FleetLog) {}

  warn(key: string, message: string, fields?: Record<string, unknown>): void {
    if (this.seen.has(key)) return;
    // Keys are a small fixed set (refusal kinds, script errors): the bound is a safety net.
    if (this.seen.size < 100) this.seen.add(key);
    safeLog(this.log, 'warn', message, fields);
  }
}

/** A logger that throws must not take the store down with it. */
export function safeLog(
  log: FleetLog,
  level: Parameters<FleetLog>[0],
  message: string,
  fields?: Record<string, unknown>,
): void {
  try {
    log(level, message, fields);
  } catch {
    // nothing left to report it to
  }
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
