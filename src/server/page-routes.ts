import type { ProviderRegistry } from '../providers/registry.js';
import type { EventHub } from './event-hub.js';
import { providersView } from './health-json.js';
import { sendText } from './http-error.js';
import type { ResolvedHandlerOptions } from './options.js';
import type { Route } from './router.js';
import { STATUS_PAGE_CSS } from './status-page-css.js';
import { renderStatusPage } from './status-page-html.js';
import { STATUS_PAGE_JS } from './status-page-js.js';

// Scripts and styles only from this server: the page shows provider error messages, which are
// escaped, and the policy makes sure one that slipped through could still not run.
const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** `GET /` (the status page) and its two assets. */
export function pageRoutes(
  registry: ProviderRegistry,
  hub: EventHub,
  options: ResolvedHandlerOptions,
): Route[] {
  return [
    {
      pattern: [],
      methods: {
        GET: ({ res, path }) => {
          const html = renderStatusPage({
            view: providersView(registry),
            events: hub.recent(),
            prefix: path.prefix,
            adminEnabled: options.adminToken !== undefined,
            now: Date.now(),
          });
          sendText(res, 200, 'text/html; charset=utf-8', html, { 'content-security-policy': PAGE_CSP });
        },
      },
    },
    {
      pattern: ['assets', 'status.css'],
      methods: { GET: ({ res }) => sendText(res, 200, 'text/css; charset=utf-8', STATUS_PAGE_CSS) },
    },
    {
      pattern: ['assets', 'status.js'],
      methods: {
        GET: ({ res }) => sendText(res, 200, 'text/javascript; charset=utf-8', STATUS_PAGE_JS),
      },
    },
  ];
}
