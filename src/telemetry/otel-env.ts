import { log } from '../common/log.js';

/**
 * The standard `OTEL_*` variables, read as the OpenTelemetry JS SDK (`@opentelemetry/sdk-node`
 * 0.223) reads them (docs/design.md, "OpenTelemetry"). Only the choices are made here: which
 * exporters, which protocol, whether at all. Everything an exporter configures for itself
 * (endpoints, headers, timeouts, compression, certificates, temporality) it reads from the
 * process environment itself, exactly as it does under the SDK.
 */
export type Env = Readonly<Record<string, string | undefined>>;
export type Signal = 'metrics' | 'traces';
export type OtlpProtocol = 'http/protobuf' | 'http/json' | 'grpc';
export const OTLP_PROTOCOLS: readonly OtlpProtocol[] = ['http/protobuf', 'http/json', 'grpc'];

export const METRICS_EXPORTERS = ['prometheus', 'otlp', 'console'] as const;
export const TRACES_EXPORTERS = ['otlp', 'console'] as const;
export type MetricsExporterName = (typeof METRICS_EXPORTERS)[number];
export type TracesExporterName = (typeof TRACES_EXPORTERS)[number];

/** A variable's text, trimmed; undefined when unset or blank (the SDK treats both alike). */
function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** A comma list, trimmed, blanks dropped, duplicates dropped; undefined when there is nothing. */
function list(env: Env, name: string): string[] | undefined {
  const raw = text(env, name);
  if (raw === undefined) return undefined;
  const names = [...new Set(raw.split(',').map((item) => item.trim()))].filter((item) => item !== '');
  return names.length === 0 ? undefined : names;
}

/**
 * `OTEL_SDK_DISABLED=true` (any case): no metrics, no spans, no exporter, no port. The breakers,
 * the health endpoints and the log lines are not telemetry and follow `PROVIDER_HEALTH_MODE`.
 */
export function sdkDisabled(env: Env): boolean {
  const value = text(env, 'OTEL_SDK_DISABLED')?.toLowerCase();
  if (value !== undefined && value !== 'true' && value !== 'false')
    log('warn', `OTEL_SDK_DISABLED=${value} is neither true nor false; read as false`);
  return value === 'true';
}

/** Whether an OTLP endpoint was given for this signal: the base variable or the signal's own. */
export function otlpEndpointSet(env: Env, signal: Signal): boolean {
  return (
    text(env, 'OTEL_EXPORTER_OTLP_ENDPOINT') !== undefined ||
    text(env, `OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_ENDPOINT`) !== undefined
  );
}

/**
 * `OTEL_METRICS_EXPORTER`: `prometheus`, `otlp`, `console`, a comma list of them, or `none`
 * (anywhere in the list, as the SDK reads it). Unset, the choice follows intent: an OTLP endpoint
 * set means `otlp`; otherwise `prometheus`, the plugin's scrape target that needs no setup (the
 * SDK's own default, `otlp` to localhost, would send to nothing on most machines).
 */
export function metricsExporters(env: Env): MetricsExporterName[] {
  const names = list(env, 'OTEL_METRICS_EXPORTER');
  if (names === undefined) return otlpEndpointSet(env, 'metrics') ? ['otlp'] : ['prometheus'];
  if (names.includes('none')) return [];
  return known(names, METRICS_EXPORTERS, 'OTEL_METRICS_EXPORTER');
}

/**
 * `OTEL_TRACES_EXPORTER`: `otlp`, `console`, a comma list, or `none`. As the SDK: `none` first
 * means none, `none` among others is ignored with a warning and means `otlp`. Unset means `otlp`
 * when an OTLP endpoint is set and no export otherwise: spans are sent only where asked.
 */
export function tracesExporters(env: Env): TracesExporterName[] {
  const names = list(env, 'OTEL_TRACES_EXPORTER')?.filter((name) => name !== 'null');
  if (names === undefined || names.length === 0) return otlpEndpointSet(env, 'traces') ? ['otlp'] : [];
  if (names[0] === 'none') return [];
  if (names.includes('none')) {
    log(
      'warn',
      'OTEL_TRACES_EXPORTER lists "none" among other exporters; using otlp, as the OpenTelemetry SDK does',
      {
        value: names.join(','),
      },
    );
    return ['otlp'];
  }
  return known(names, TRACES_EXPORTERS, 'OTEL_TRACES_EXPORTER');
}

function known<T extends string>(names: string[], supported: readonly T[], variable: string): T[] {
  const chosen: T[] = [];
  for (const name of names) {
    if ((supported as readonly string[]).includes(name)) chosen.push(name as T);
    else log('warn', `${variable}=${name} is not supported; ignored`, { supported: [...supported, 'none'] });
  }
  return chosen;
}

/**
 * `OTEL_EXPORTER_OTLP_<SIGNAL>_PROTOCOL`, else `OTEL_EXPORTER_OTLP_PROTOCOL`, else `http/protobuf`
 * (the default of the OpenTelemetry environment variables). An unknown value is warned about and
 * read as `http/protobuf`, as the SDK does.
 */
export function otlpProtocol(env: Env, signal: Signal): OtlpProtocol {
  const variable = `OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_PROTOCOL`;
  const value = text(env, variable) ?? text(env, 'OTEL_EXPORTER_OTLP_PROTOCOL');
  if (value === undefined) return 'http/protobuf';
  if ((OTLP_PROTOCOLS as readonly string[]).includes(value)) return value as OtlpProtocol;
  log('warn', `OTLP protocol ${value} is not supported; using http/protobuf`, {
    variable: text(env, variable) === undefined ? 'OTEL_EXPORTER_OTLP_PROTOCOL' : variable,
    supported: OTLP_PROTOCOLS,
  });
  return 'http/protobuf';
}

/**
 * A number variable greater than 0, undefined when unset; a bad value is warned about and
 * ignored, as the SDK does.
 */
export function optionalPositiveNumber(env: Env, name: string): number | undefined {
  const raw = text(env, name);
  if (raw === undefined) return undefined;
  const number = Number(raw);
  if (Number.isFinite(number) && number > 0) return number;
  log('warn', `${name}=${raw} is not a number greater than 0; ignored`);
  return undefined;
}

export function positiveNumber(env: Env, name: string, fallback: number): number {
  return optionalPositiveNumber(env, name) ?? fallback;
}

/** `OTEL_RESOURCE_ATTRIBUTES` (percent-decoded `key=value` pairs) and `OTEL_SERVICE_NAME`, which wins. */
export function resourceAttributesFromEnv(env: Env): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const pair of (env.OTEL_RESOURCE_ATTRIBUTES ?? '').split(',')) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    try {
      attributes[decodeURIComponent(pair.slice(0, at).trim())] = decodeURIComponent(
        pair.slice(at + 1).trim(),
      );
    } catch {
      // A malformed percent-escape drops that one attribute, as the SDK's env detector does.
    }
  }
  const serviceName = text(env, 'OTEL_SERVICE_NAME');
  if (serviceName !== undefined) attributes['service.name'] = serviceName;
  return attributes;
}

export const RESOURCE_DETECTORS = ['env', 'host', 'os', 'process', 'serviceinstance'] as const;
export type ResourceDetectorName = (typeof RESOURCE_DETECTORS)[number];

/**
 * `OTEL_NODE_RESOURCE_DETECTORS`: `all`, `none` or a list. Unset means the SDK's default set (env,
 * process, host) plus `serviceinstance`, so that two replicas of one service are two series.
 */
export function resourceDetectors(env: Env): ResourceDetectorName[] {
  const names = list(env, 'OTEL_NODE_RESOURCE_DETECTORS');
  if (names === undefined) return ['env', 'process', 'host', 'serviceinstance'];
  if (names.includes('all')) return [...RESOURCE_DETECTORS];
  if (names.includes('none')) return [];
  return known(names, RESOURCE_DETECTORS, 'OTEL_NODE_RESOURCE_DETECTORS');
}
