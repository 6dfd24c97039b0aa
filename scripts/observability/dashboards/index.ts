/** Both dashboards for one naming variant, cross-linked. */
import type { PrometheusNaming } from '../../../src/telemetry/metric-names.js';
import { overview } from './overview.js';
import { providerDrillDown } from './provider.js';
import type { Dashboard } from './sdk.js';

const VARIANT: Readonly<Record<PrometheusNaming, { uid: string; title: string }>> = {
  builtin: { uid: '', title: '' },
  otlp: { uid: '-otlp', title: ' (OTLP names)' },
};

export function dashboards(naming: PrometheusNaming): Dashboard[] {
  const { uid, title } = VARIANT[naming];
  const overviewUid = `provider-health-overview${uid}`;
  const providerUid = `provider-health-provider${uid}`;
  return [
    overview(naming, overviewUid, providerUid, `AI providers: overview${title}`),
    providerDrillDown(naming, providerUid, overviewUid, `AI providers: provider${title}`),
  ];
}
