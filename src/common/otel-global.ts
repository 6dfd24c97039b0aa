/**
 * What a service registered with @opentelemetry/api, read without loading the API: every 1.x copy
 * of the API keeps its registered globals (`diag`, `trace`, `metrics`, `context`, `propagation`)
 * on one object under this symbol, which is how copies in different folders see each other. The
 * preload reads it so that an application with no OpenTelemetry setup of its own pays nothing for
 * the API at start-up; when something is registered, the API itself is loaded and asked.
 */
const API_GLOBAL = Symbol.for('opentelemetry.js.api.1');

type OtelGlobalType = 'diag' | 'trace' | 'metrics' | 'context' | 'propagation';
type GlobalWithOtel = typeof globalThis & { [API_GLOBAL]?: Partial<Record<OtelGlobalType, unknown>> };

export function otelGlobalRegistered(type: OtelGlobalType): boolean {
  return (globalThis as GlobalWithOtel)[API_GLOBAL]?.[type] !== undefined;
}

/** The diag logger the service registered (`diag.setLogger`), already filtered by its level. */
export interface DiagSink {
  warn(message: string): void;
  debug(message: string): void;
}

export function registeredDiag(): DiagSink | undefined {
  const diag = (globalThis as GlobalWithOtel)[API_GLOBAL]?.diag as Partial<DiagSink> | undefined;
  return typeof diag?.warn === 'function' && typeof diag.debug === 'function'
    ? (diag as DiagSink)
    : undefined;
}
