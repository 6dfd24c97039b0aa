/** Writes dashboards/ (overview and provider drill-down, for both naming variants). */
import { fileURLToPath } from 'node:url';
import { renderDashboards } from './observability/render.js';
import { writeFiles } from './observability/write-files.js';

writeFiles(fileURLToPath(new URL('..', import.meta.url)), renderDashboards());
