import { defaultResource, type Resource, resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { log } from '../common/log.js';

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * `OTEL_METRICS_EXPORTER` / `OTEL_TRACES_EXPORTER`: a comma list, lower-cased. `none` anywhere
 * means none (as the SDK reads it). Unset means `fallback`: `prometheus` for our metrics, since the
 * plugin's point is a scrape target with no setup; nothing for traces unless asked.
 */
export function exporterList(env: Env, variable: string, fallback: readonly string[]): string[] {
  const raw = env[variable]?.trim();
  const names =
    raw === undefined || raw === ''
      ? [...fallback]
      : raw
          .split(',')
          .map((name) => name.trim().toLowerCase())
          .filter((name) => name !== '');
  return names.includes('none') ? [] : [...new Set(names)];
}

/** Logs an exporter name we do not build, once per name and variable. */
export function warnUnsupportedExporter(variable: string, name: string): void {
  log('warn', `${variable}=${name} is not supported by provider-health's own pipeline; ignored`, {
    supported: variable === 'OTEL_METRICS_EXPORTER' ? ['prometheus', 'otlp', 'none'] : ['otlp', 'none'],
  });
}

/**
 * The OTLP/HTTP endpoint for one signal, per the OTel exporter specification (docs/design.md, "OpenTelemetry"): the signal-specific variable as is, else
 * the base endpoint plus `/v1/<signal>`. Undefined leaves the exporter's own default (localhost:4318).
 */
export function otlpUrl(env: Env, signal: 'metrics' | 'traces'): string | undefined {
  const specific = env[`OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_ENDPOINT`]?.trim();
  if (specific) return specific;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (!base) return undefined;
  return `${base.replace(/\/+$/, '')}/v1/${signal}`;
}

/** Warns once if the requested OTLP protocol is not the one our exporters speak (http/json). */
export function checkOtlpProtocol(env: Env, signal: 'metrics' | 'traces'): void {
  const protocol = (
    env[`OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_PROTOCOL`] ?? env.OTEL_EXPORTER_OTLP_PROTOCOL
  )
    ?.trim()
    .toLowerCase();
  if (protocol && protocol !== 'http/json')
    log(
      'warn',
      `OTLP protocol ${protocol} requested; provider-health's own ${signal} exporter sends http/json`,
    );
}

export function positiveNumber(value: string | undefined, fallback: number): number {
  const number = Number(value);
  return value !== undefined && value.trim() !== '' && Number.isFinite(number) && number > 0
    ? number
    : fallback;
}

/** Default resource + `OTEL_RESOURCE_ATTRIBUTES` + `OTEL_SERVICE_NAME`, read from `env` (not only process.env). */
export function resourceFromEnv(env: Env): Resource {
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
  const serviceName = env.OTEL_SERVICE_NAME?.trim();
  if (serviceName) attributes[ATTR_SERVICE_NAME] = serviceName;
  return defaultResource().merge(resourceFromAttributes(attributes));
}
