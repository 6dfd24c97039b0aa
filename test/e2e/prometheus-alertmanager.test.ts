/** The end-to-end scenario with the plugin's Prometheus exporter, scraped: see support/end-to-end.ts. */
import { describeEndToEnd } from './support/end-to-end.js';

describeEndToEnd('scrape');
