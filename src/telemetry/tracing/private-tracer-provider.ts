import type { Resource } from '@opentelemetry/resources';
import type { Sampler, SpanLimits, SpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { describeError, log } from '../../common/log.js';
import { type Env, optionalPositiveNumber, tracesExporters } from '../otel-env.js';
import { otelSdkTrace } from '../otel-packages.js';
import { otlpSpanExporter } from '../otlp-exporters.js';
import type { SpanProcessorLike } from './provider-span-processor.js';

/**
 * A TracerProvider of our own, never registered globally, with the span processors
 * `OTEL_TRACES_EXPORTER` asks for: a batch processor for OTLP (`OTEL_BSP_*`), a simple one for the
 * console, as the SDK builds them, after `first` (the provider attributes, before any export); the
 * sampler from `OTEL_TRACES_SAMPLER`. Undefined when no export is asked for, or none could be built.
 */
export function createPrivateTracerProvider(
  env: Env,
  resource: () => Resource,
  first: SpanProcessorLike,
): TracerProvider | undefined {
  const names = tracesExporters(env);
  if (names.length === 0) return undefined;
  const sdk = otelSdkTrace();
  const spanProcessors: SpanProcessor[] = [];
  for (const name of names) {
    try {
      spanProcessors.push(
        name === 'console'
          ? new sdk.SimpleSpanProcessor({ exporter: new sdk.ConsoleSpanExporter() })
          : new sdk.BatchSpanProcessor({ exporter: otlpSpanExporter(env), ...batchOptions(env) }),
      );
    } catch (error) {
      log(
        'error',
        `the ${name} span exporter could not be started; provider-health spans are not sent there`,
        {
          error: describeError(error),
        },
      );
    }
  }
  if (spanProcessors.length === 0) return undefined;
  return new sdk.TracerProvider({
    resource: resource(),
    // The SDK calls the processor's onStart and onEnd with its own spans, which have all it reads.
    spanProcessors: [first as unknown as SpanProcessor, ...spanProcessors],
    sampler: samplerFromEnv(env),
    spanLimits: spanLimitsFromEnv(env),
  });
}

function batchOptions(env: Env): {
  maxQueueSize?: number;
  scheduledDelayMillis?: number;
  exportTimeoutMillis?: number;
  maxExportBatchSize?: number;
} {
  return {
    maxQueueSize: optionalPositiveNumber(env, 'OTEL_BSP_MAX_QUEUE_SIZE'),
    scheduledDelayMillis: optionalPositiveNumber(env, 'OTEL_BSP_SCHEDULE_DELAY'),
    exportTimeoutMillis: optionalPositiveNumber(env, 'OTEL_BSP_EXPORT_TIMEOUT'),
    maxExportBatchSize: optionalPositiveNumber(env, 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE'),
  };
}

function spanLimitsFromEnv(env: Env): SpanLimits {
  return {
    attributeCountLimit:
      optionalPositiveNumber(env, 'OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT') ??
      optionalPositiveNumber(env, 'OTEL_ATTRIBUTE_COUNT_LIMIT'),
    attributeValueLengthLimit:
      optionalPositiveNumber(env, 'OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT') ??
      optionalPositiveNumber(env, 'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT'),
    eventCountLimit: optionalPositiveNumber(env, 'OTEL_SPAN_EVENT_COUNT_LIMIT'),
    linkCountLimit: optionalPositiveNumber(env, 'OTEL_SPAN_LINK_COUNT_LIMIT'),
  };
}

/** `OTEL_TRACES_SAMPLER` and `_ARG`, the names the SDK knows; unset or unknown leaves the default (parent-based, always on). */
function samplerFromEnv(env: Env): Sampler | undefined {
  const name = env.OTEL_TRACES_SAMPLER?.trim();
  if (!name) return undefined;
  const sdk = otelSdkTrace();
  const ratio = (): number => {
    const value = Number(env.OTEL_TRACES_SAMPLER_ARG?.trim() || Number.NaN);
    return Number.isFinite(value) && value >= 0 && value <= 1 ? value : 1;
  };
  const parentBased = (root: Sampler): Sampler => new sdk.ParentBasedSampler({ root });
  switch (name) {
    case 'always_on':
      return new sdk.AlwaysOnSampler();
    case 'always_off':
      return new sdk.AlwaysOffSampler();
    case 'traceidratio':
      return new sdk.TraceIdRatioBasedSampler(ratio());
    case 'parentbased_always_on':
      return parentBased(new sdk.AlwaysOnSampler());
    case 'parentbased_always_off':
      return parentBased(new sdk.AlwaysOffSampler());
    case 'parentbased_traceidratio':
      return parentBased(new sdk.TraceIdRatioBasedSampler(ratio()));
    default:
      log('warn', `OTEL_TRACES_SAMPLER=${name} is not supported; using the default sampler`);
      return undefined;
  }
}
