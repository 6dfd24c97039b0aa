/**
 * AiProviderMetricsAbsent: the plugin's series are missing where they should be. Each case
 * reads only series that say where the plugin ought to be (see docs/runbooks.md):
 * - with a selector, `absent()` of it: the user named the service that must export them;
 * - a service that exported them within a day and exports none now;
 * - scraped data only: an instance scraped fine (`up == 1`) while its siblings export them.
 * A bare `absent()` without a selector is left out: it would fire on every Prometheus that loads
 * the rules before, or without, a service running the plugin.
 */
import type { Mixin } from '../mixin.js';
import { by, metric, on, sel } from '../promql.js';
import type { AlertDefinition, Firing, Scenario } from './alert.js';
import { forMinutes, OPENAI, pendingAndFiring } from './scenario-kit.js';
import { ifLabel, label } from './templates.js';
import { raw, STALE, up as upSeries } from './test-series.js';
import type { Labels } from './test-targets.js';

const ABSENT = 'AiProviderMetricsAbsent';

/** Scraped data has Prometheus' `up` per target; pushed data (OTLP) has nothing like it. */
const hasScrapeUp = (m: Mixin): boolean => m.naming === 'builtin';

function cases(m: Mixin): string[] {
  const up = sel(metric('up', m.naming), m.selector);
  const service = by(m.service);
  const perInstance = [...m.service, 'instance'];
  return [
    ...(m.selector.length > 0 ? [`absent(${up})`] : []),
    `(group ${service} (max_over_time(${up}[1d])) unless ${on(m.service)} group ${service} (${up}))`,
    ...(hasScrapeUp(m)
      ? [
          `((group ${by(perInstance)} (${sel('up', m.selector)} == 1) and ${on(m.service)} group ${service} (${up})) unless ${on(perInstance)} group ${by(perInstance)} (${up}))`,
        ]
      : []),
  ];
}

/** What `a or b or c` returns: each case's series, unless an earlier case has one with the same labels. */
function union(...sets: Labels[][]): Labels[] {
  const seen = new Set<string>();
  const out: Labels[] = [];
  for (const labels of sets.flat()) {
    const key = JSON.stringify(Object.entries(labels).sort());
    if (!seen.has(key)) {
      seen.add(key);
      out.push(labels);
    }
  }
  return out;
}

export const metricsAbsent: AlertDefinition = {
  alert: ABSENT,
  severity: 'warning',
  defaultFor: '10m',
  // Pushed series fade over the 5-minute lookback, a minute earlier or later by Prometheus version.
  minFor: '2m',
  expr: (m) => cases(m).join(' or '),
  summary: () => `provider-health metrics are missing${ifLabel('job', ` for ${label('job')}`)}.`,
  description: () =>
    `The plugin exports no ai_provider series where it should${ifLabel('instance', ` (instance ${label('instance')})`)}: breakers, dashboards and every other alert here are blind. The plugin is not loaded, its exporter is not scraped or does not push, or telemetry moved to a MeterProvider that is not exported.`,
  scenarios(m, t) {
    const f = forMinutes(m, ABSENT);
    const scraped = hasScrapeUp(m);
    const [A, B] = [t.at('a'), t.at('b')];
    const stop = 21;
    // Scraped series end with a staleness marker; pushed ones just stop and fade after 5 minutes.
    const [earliest, latest] = scraped ? [stop, stop] : [stop + 4, stop + 5];
    const pendingAt = latest + Math.floor((f - 1) / 2);
    const firesAt = earliest + f + 1;
    const back = firesAt + 5;
    const minutes = back + 5;
    const exporting = (s: number) => (s < stop || s >= back ? 1 : s === stop && scraped ? STALE : undefined);
    const scenarios: Scenario[] = [
      {
        name: 'the only instance of the service stops exporting',
        minutes,
        series: [
          ...(scraped ? [raw('up', A, () => 1, minutes)] : []),
          upSeries(m.naming, A, OPENAI, exporting, minutes),
        ],
        pendingAt,
        firesAt,
        firing: union(m.selector.length > 0 ? [t.absentLabels] : [], [t.service]).map(
          (labels): Firing => ({ labels }),
        ),
        resolvedAt: back + 2,
      },
    ];
    if (scraped)
      scenarios.push({
        name: 'one instance is scraped but stops exporting while its sibling still does',
        minutes,
        series: [
          raw('up', A, () => 1, minutes),
          raw('up', B, () => 1, minutes),
          upSeries(m.naming, A, OPENAI, () => 1, minutes),
          upSeries(m.naming, B, OPENAI, exporting, minutes),
        ],
        ...pendingAndFiring(stop, f),
        firing: [{ labels: B }],
        resolvedAt: back + 2,
      });
    if (m.selector.length > 0)
      scenarios.push({
        name: 'the service the selector names has never exported',
        minutes: f + 5,
        series: [raw('up', { job: 'unrelated', instance: 'x:9464' }, () => 1, f + 5)],
        ...pendingAndFiring(0, f),
        firing: [{ labels: t.absentLabels }],
      });
    return scenarios;
  },
};
