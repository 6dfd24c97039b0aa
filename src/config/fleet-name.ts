import { ConfigError } from './config-error.js';

/**
 * The fleet name becomes part of every key (`{ph:<fleet>}:state`) and of the channel, inside a
 * Redis Cluster hash tag: no braces, colons, spaces or control characters, and short.
 */
const FLEET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const FLEET_NAME_ACCEPTED =
  'a fleet name of letters, digits, ".", "_" or "-", starting with a letter or digit, at most 64 characters';

/** Used when neither PROVIDER_HEALTH_FLEET (`fleet.name`) nor OTEL_SERVICE_NAME is set. */
export const DEFAULT_FLEET_NAME = 'provider-health';

export function parseFleetName(value: unknown, key: string, file?: string): string {
  if (typeof value === 'string' && FLEET_NAME.test(value)) return value;
  throw new ConfigError({ key, value, accepted: FLEET_NAME_ACCEPTED, file });
}

export function isFleetName(value: unknown): value is string {
  return typeof value === 'string' && FLEET_NAME.test(value);
}

/**
 * The service name, made to fit: replicas of one service share a fleet without configuration.
 * It is not the user's fleet setting, so an unusual service name (`Checkout API`) is adapted
 * rather than refused: other characters become `-`, and it is cut to 64 characters.
 */
export function defaultFleetName(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const service = env.OTEL_SERVICE_NAME?.trim();
  if (service === undefined || service === '') return DEFAULT_FLEET_NAME;
  const adapted = service
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 64);
  return adapted === '' ? DEFAULT_FLEET_NAME : adapted;
}
