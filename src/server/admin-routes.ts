import { isConfigError } from '../config/config-error.js';
import { parseDuration } from '../config/duration.js';
import { fleetOf } from '../fleet/index.js';
import type { ProviderRegistry } from '../providers/registry.js';
import { AdminAuth } from './admin-auth.js';
import { providerJson } from './health-json.js';
import { providerFromPath } from './health-routes.js';
import { HttpError, sendJson } from './http-error.js';
import type { ResolvedHandlerOptions } from './options.js';
import { readJsonBody } from './read-body.js';
import type { Route } from './router.js';
import { logRequestAction } from './safe-log.js';

/** Manual check (open to anyone, rate-capped by the scheduler) and the admin actions. */
export function adminRoutes(registry: ProviderRegistry, options: ResolvedHandlerOptions): Route[] {
  const admin = new AdminAuth(options.adminToken);
  return [
    {
      pattern: ['health', 'providers', ':name', 'check'],
      methods: {
        POST: async ({ req, res, params }) => {
          const provider = providerFromPath(registry, params.name);
          await readJsonBody(req, options.maxBodyBytes);
          logRequestAction(req, 'check', provider.name);
          const result = await registry.checkProvider(provider.name);
          sendJson(res, 200, {
            provider: result.provider,
            outcome: result.outcome,
            reason: result.reason,
            duration_ms: Math.round(result.durationMs * 10) / 10,
            circuit_state: result.circuitState,
            checked_at: result.checkedAt,
            cached: result.cached === true,
            status: provider.getHealthStatus(),
          });
        },
      },
    },
    {
      pattern: ['health', 'providers', ':name', 'reset'],
      methods: {
        POST: async ({ req, res, params }) => {
          admin.require(req, 'reset');
          const provider = providerFromPath(registry, params.name);
          await readJsonBody(req, options.maxBodyBytes);
          const previous = provider.breaker.state;
          provider.reset();
          logRequestAction(req, 'reset', provider.name, { previous_state: previous });
          sendJson(res, 200, {
            action: 'reset',
            previous_state: previous,
            ...providerJson(provider.snapshot(), fleetOf(registry)),
          });
        },
      },
    },
    {
      pattern: ['health', 'providers', ':name', 'open'],
      methods: {
        POST: async ({ req, res, params }) => {
          admin.require(req, 'force_open');
          const provider = providerFromPath(registry, params.name);
          const body = await readJsonBody(req, options.maxBodyBytes);
          const durationMs = openDuration(body.duration);
          const previous = provider.breaker.state;
          provider.breaker.forceOpen(durationMs);
          logRequestAction(req, 'force_open', provider.name, {
            previous_state: previous,
            duration_ms: durationMs ?? 'until_reset',
          });
          sendJson(res, 200, {
            action: 'open',
            previous_state: previous,
            ...providerJson(provider.snapshot(), fleetOf(registry)),
          });
        },
      },
    },
  ];
}

/** `{"duration": "10m"}` holds the circuit open that long; without one, until a reset. */
function openDuration(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  try {
    return parseDuration(value, 'duration');
  } catch (error) {
    if (!isConfigError(error)) throw error;
    throw new HttpError(
      400,
      'invalid_body',
      'duration must be like "30s", "10m" or a number of milliseconds',
    );
  }
}
