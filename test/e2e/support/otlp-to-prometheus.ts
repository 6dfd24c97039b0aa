/**
 * OTLP metrics (OTLP/JSON, as the plugin exports them) -> Prometheus series, by the rules of
 * the OpenTelemetry "Prometheus and OpenMetrics Compatibility" specification, section "OTLP
 * Metric points to Prometheus". test/e2e/README.md ("OTLP into Prometheus") lists each rule this
 * follows and why; the code is written from those rules, not from metric-names.ts, so that the
 * OTLP dashboards and alerts are checked against an independent reading.
 */

interface AnyValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}
interface KeyValue {
  key: string;
  value: AnyValue;
}
interface NumberPoint {
  attributes?: KeyValue[];
  timeUnixNano: string | number;
  asDouble?: number;
  asInt?: string | number;
}
interface HistogramPoint {
  attributes?: KeyValue[];
  timeUnixNano: string | number;
  count: string | number;
  sum?: number;
  bucketCounts: (string | number)[];
  explicitBounds: number[];
}
interface Metric {
  name: string;
  unit?: string;
  gauge?: { dataPoints: NumberPoint[] };
  sum?: { dataPoints: NumberPoint[]; aggregationTemporality: number; isMonotonic?: boolean };
  histogram?: { dataPoints: HistogramPoint[]; aggregationTemporality: number };
}
export interface ExportMetricsServiceRequest {
  resourceMetrics: {
    resource?: { attributes?: KeyValue[] };
    scopeMetrics: { scope?: { name?: string; version?: string }; metrics: Metric[] }[];
  }[];
}

export interface Sample {
  value: number;
  timestampMs: number;
}
/** One Prometheus series with its samples; `__name__` is among the labels. */
export interface PromSeries {
  labels: Record<string, string>;
  samples: Sample[];
}

const CUMULATIVE = 2;

/** "Invalid characters … MUST be replaced with `_`; multiple consecutive `_` … a single `_`." */
const sanitize = (text: string, valid: RegExp): string => text.replace(valid, '_').replace(/__+/g, '_');
const metricName = (name: string) => sanitize(name, /[^a-zA-Z0-9_:]/g);
const labelName = (key: string) => sanitize(key, /[^a-zA-Z0-9_]/g);

const UNIT_WORDS: Readonly<Record<string, string>> = {
  s: 'seconds',
  ms: 'milliseconds',
  us: 'microseconds',
  ns: 'nanoseconds',
  min: 'minutes',
  h: 'hours',
  d: 'days',
  By: 'bytes',
  KiBy: 'kibibytes',
  MiBy: 'mebibytes',
  '%': 'percent',
  '1': 'ratio',
};

/** After "per", a time unit is singular: `By/s` is bytes_per_second. */
const PER_UNIT_WORDS: Readonly<Record<string, string>> = {
  s: 'second',
  m: 'minute',
  h: 'hour',
  d: 'day',
  w: 'week',
  mo: 'month',
  y: 'year',
};

/** The unit as a name suffix: words for abbreviations, `{…}` dropped, `1` -> ratio, `a/b` -> a_per_b. */
function unitSuffix(unit: string | undefined): string {
  const bare = (unit ?? '').replace(/\{[^}]*\}/g, '').trim();
  if (bare === '') return '';
  const [numerator = '', denominator] = bare.split('/');
  const word = (part: string, words: Readonly<Record<string, string>>) =>
    words[part] ?? sanitize(part, /[^a-zA-Z0-9_]/g);
  if (denominator === undefined) return word(numerator, UNIT_WORDS);
  const per = word(denominator, PER_UNIT_WORDS);
  return numerator === '' ? `per_${per}` : `${word(numerator, UNIT_WORDS)}_per_${per}`;
}

/** Name with the unit suffix "unless the metric name already contains the unit". */
function baseName(metric: Metric): string {
  const name = metricName(metric.name);
  const unit = unitSuffix(metric.unit);
  return unit === '' || name.split('_').includes(unit) ? name : `${name}_${unit}`;
}

function stringOf(value: AnyValue): string {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return String(value.intValue);
  if (value.doubleValue !== undefined) return String(value.doubleValue);
  if (value.boolValue !== undefined) return String(value.boolValue);
  return '';
}

function attributes(list: readonly KeyValue[] | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  // Keys that collide after sanitizing are joined with `;`, in the order of the original keys.
  for (const { key, value } of [...(list ?? [])].sort((a, b) =>
    a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
  )) {
    const name = labelName(key);
    labels[name] = labels[name] === undefined ? stringOf(value) : `${labels[name]};${stringOf(value)}`;
  }
  return labels;
}

const millis = (nanos: string | number): number => Number(BigInt(nanos) / 1_000_000n);
const numberOf = (point: NumberPoint): number => point.asDouble ?? Number(point.asInt ?? Number.NaN);

/** Series of one resource: job and instance from the service attributes, the rest on target_info. */
function resourceLabels(resource: readonly KeyValue[] | undefined) {
  const attrs = new Map((resource ?? []).map(({ key, value }) => [key, stringOf(value)]));
  const name = attrs.get('service.name') ?? '';
  const namespace = attrs.get('service.namespace');
  const target = {
    job: namespace ? `${namespace}/${name}` : name,
    instance: attrs.get('service.instance.id') ?? '',
  };
  const others = (resource ?? []).filter(
    ({ key }) => !['service.name', 'service.namespace', 'service.instance.id'].includes(key),
  );
  return { target, info: attributes(others) };
}

export function translate(request: ExportMetricsServiceRequest): PromSeries[] {
  const series: PromSeries[] = [];
  const add = (labels: Record<string, string>, value: number, timestampMs: number) =>
    series.push({ labels, samples: [{ value, timestampMs }] });
  for (const { resource, scopeMetrics } of request.resourceMetrics) {
    const { target, info } = resourceLabels(resource?.attributes);
    let latest = 0;
    for (const { scope, metrics } of scopeMetrics) {
      const scopeLabels: Record<string, string> = {};
      if (scope?.name) scopeLabels.otel_scope_name = scope.name;
      if (scope?.version) scopeLabels.otel_scope_version = scope.version;
      for (const metric of metrics) {
        const base = baseName(metric);
        const labelsOf = (
          point: { attributes?: KeyValue[] },
          name: string,
          extra: Record<string, string> = {},
        ) => ({
          ...attributes(point.attributes),
          ...scopeLabels,
          ...target,
          ...extra,
          __name__: name,
        });
        const numberPoints = (points: readonly NumberPoint[], name: string) => {
          for (const point of points) {
            const at = millis(point.timeUnixNano);
            latest = Math.max(latest, at);
            add(labelsOf(point, name), numberOf(point), at);
          }
        };
        if (metric.gauge) numberPoints(metric.gauge.dataPoints, base);
        else if (metric.sum && metric.sum.aggregationTemporality === CUMULATIVE)
          // Monotonic: a counter, `_total`; non-monotonic: a gauge. (Delta sums: dropped, none here.)
          numberPoints(
            metric.sum.dataPoints,
            metric.sum.isMonotonic && !base.endsWith('_total') ? `${base}_total` : base,
          );
        else if (metric.histogram && metric.histogram.aggregationTemporality === CUMULATIVE)
          for (const point of metric.histogram.dataPoints) {
            const at = millis(point.timeUnixNano);
            latest = Math.max(latest, at);
            add(labelsOf(point, `${base}_count`), Number(point.count), at);
            if (point.sum !== undefined) add(labelsOf(point, `${base}_sum`), point.sum, at);
            let cumulative = 0;
            point.explicitBounds.forEach((bound, i) => {
              cumulative += Number(point.bucketCounts[i] ?? 0);
              add(labelsOf(point, `${base}_bucket`, { le: String(bound) }), cumulative, at);
            });
            add(labelsOf(point, `${base}_bucket`, { le: '+Inf' }), Number(point.count), at);
          }
      }
    }
    if (Object.keys(info).length > 0 && latest > 0)
      add({ ...info, ...target, __name__: 'target_info' }, 1, latest);
  }
  return series;
}
