/** The mixin as committed: default options, both naming variants, and where each file lives in the repository. */
import { join } from 'node:path';
import { DEFAULT_OPTIONS, NAMINGS } from '../../src/mixin/config/options.js';
import { type Mixin, mixinFor } from '../../src/mixin/mixin.js';
import { ALERTMANAGER_EXAMPLE, DEFAULT_OUT, ruleFileName, unitTestFileName } from '../../src/mixin/render.js';
import type { PrometheusNaming } from '../../src/telemetry/metric-names.js';

export { DEFAULT_OPTIONS, NAMINGS };

export const defaultMixin = (naming: PrometheusNaming): Mixin => mixinFor(DEFAULT_OPTIONS, naming);

/** Repository-relative paths of the committed files. */
export const ruleFilePath = (naming: PrometheusNaming): string =>
  join(DEFAULT_OUT.alerts, ruleFileName(naming));
export const unitTestPath = (naming: PrometheusNaming): string =>
  join(DEFAULT_OUT.alerts, unitTestFileName(naming));
export const ALERTMANAGER_EXAMPLE_PATH = join(DEFAULT_OUT.alerts, ALERTMANAGER_EXAMPLE);
