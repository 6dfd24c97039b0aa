/** Both dashboards for one naming variant, cross-linked. */
import type { PrometheusNaming } from '../../telemetry/metric-names.js';
import type { Mixin } from '../mixin.js';
import { overview } from './overview.js';
import { providerDrillDown } from './provider.js';
import type { Dashboard } from './sdk.js';

const VARIANT: Readonly<Record<PrometheusNaming, { uid: string; title: string }>> = {
  builtin: { uid: '', title: '' },
  otlp: { uid: '-otlp', title: ' (OTLP names)' },
};

export function dashboards(m: Mixin): Dashboard[] {
  const { uid, title } = VARIANT[m.naming];
  const overviewUid = `provider-health-overview${uid}`;
  const providerUid = `provider-health-provider${uid}`;
  return [
    overview(m, overviewUid, providerUid, `AI providers: overview${title}`),
    providerDrillDown(m, providerUid, overviewUid, `AI providers: provider${title}`),
  ];
}
