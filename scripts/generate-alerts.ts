/** Writes alerts/ (rules for both naming variants, their promtool tests, an Alertmanager example). */
import { fileURLToPath } from 'node:url';
import { renderAlerts } from './observability/render.js';
import { writeFiles } from './observability/write-files.js';

writeFiles(fileURLToPath(new URL('..', import.meta.url)), renderAlerts());
