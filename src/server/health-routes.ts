import { fleetOf } from '../fleet/index.js';
import type { Provider } from '../providers/provider.js';
import type { ProviderRegistry } from '../providers/registry.js';
import { healthView, providerJson, providersView } from './health-json.js';
import { HttpError, sendJson } from './http-error.js';
import type { ResolvedHandlerOptions } from './options.js';
import { providerNameParam } from './request-path.js';
import type { Route } from './router.js';

/** A provider the path names; an unknown one is a 404, never created on the fly. */
export function providerFromPath(registry: ProviderRegistry, raw: string | undefined): Provider {
  const name = providerNameParam(raw);
  const provider = registry.getProvider(name);
  if (provider === undefined) {
    throw new HttpError(404, 'provider_not_found', `no provider named ${JSON.stringify(name)}`);
  }
  return provider;
}

/** The read-only endpoints of docs/design.md "Health endpoints". */
export function healthRoutes(registry: ProviderRegistry, options: ResolvedHandlerOptions): Route[] {
  return [
    {
      pattern: ['health'],
      methods: {
        GET: ({ res }) => {
          const view = healthView(registry);
          sendJson(res, options.statusCodes[view.status], view);
        },
      },
    },
    {
      pattern: ['health', 'providers'],
      methods: { GET: ({ res }) => sendJson(res, 200, providersView(registry)) },
    },
    {
      pattern: ['health', 'providers', ':name'],
      methods: {
        GET: ({ res, params }) => {
          const provider = providerFromPath(registry, params.name);
          sendJson(res, 200, {
            ...providerJson(provider.snapshot(), fleetOf(registry)),
            timestamp: new Date().toISOString(),
          });
        },
      },
    },
  ];
}
