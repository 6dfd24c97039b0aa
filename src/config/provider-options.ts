import { ENDPOINT_KEY_PATTERN, PROVIDER_NAME_ACCEPTED } from '../common/provider-name.js';
import { isOutcome, OUTCOMES, type Outcome, UNCOUNTED_OUTCOMES } from '../outcome/outcome.js';
import { ConfigError } from './config-error.js';
import { parseBudget, parseBudgetAction, parsePrices, parseUsageFormat } from './cost-options.js';
import { parseDuration, parseTimeout } from './duration.js';
import { parseHostPattern, parseProviderName } from './host-pattern.js';
import { childKey, plainEntries, unknownKey } from './object-entries.js';
import type { EndpointOptions, ProviderOptions } from './options.js';
import { parseOutcomeRules } from './outcome-rules.js';
import { parseDurationOrRelative } from './relative-threshold.js';
import { parseHealthCheckUrl, parseShare, parseThreshold } from './values.js';

/** `success` cannot be a failure, and the uncounted outcomes never reach the breaker's counters. */
export const TRIPPABLE_OUTCOMES: readonly Outcome[] = OUTCOMES.filter(
  (outcome) => outcome !== 'success' && !UNCOUNTED_OUTCOMES.includes(outcome),
);

type Assign = (provider: ProviderOptions, value: unknown, key: string, file?: string) => void;

const PROVIDER_KEYS: Readonly<Record<string, Assign>> = {
  hosts: (p, v, k, f) => {
    p.hosts = parseHosts(v, k, f);
  },
  failureThreshold: (p, v, k, f) => {
    p.failureThreshold = parseThreshold(v, k, f);
  },
  recoveryTimeout: (p, v, k, f) => {
    p.recoveryTimeout = parseDuration(v, k, f);
  },
  successThreshold: (p, v, k, f) => {
    p.successThreshold = parseThreshold(v, k, f);
  },
  trialTimeout: (p, v, k, f) => {
    p.trialTimeout = parseTimeout(v, k, f);
  },
  tripOn: (p, v, k, f) => {
    p.tripOn = parseTripOn(v, k, f);
  },
  abortTimeout: (p, v, k, f) => {
    p.abortTimeout = parseAbortTimeout(v, k, f);
  },
  slowCallDuration: (p, v, k, f) => {
    const parsed = parseDurationOrRelative(v, k, f);
    p.slowCallDuration = typeof parsed === 'number' ? parsed : { factor: parsed.factor, min: parsed.minMs };
  },
  slowCallRate: (p, v, k, f) => {
    p.slowCallRate = parseShare(v, k, f);
  },
  slowCallMinCalls: (p, v, k, f) => {
    p.slowCallMinCalls = parseCallCount(v, k, f);
  },
  endpoints: (p, v, k, f) => {
    p.endpoints = parseEndpoints(v, k, f);
  },
  healthCheckUrl: (p, v, k, f) => {
    p.healthCheckUrl = parseHealthCheckUrl(v, k, f);
  },
  outcomes: (p, v, k, f) => {
    p.outcomes = parseOutcomeRules(v, k, f);
  },
  usage: (p, v, k, f) => {
    p.usage = parseUsageFormat(v, k, f);
  },
  prices: (p, v, k, f) => {
    p.prices = parsePrices(v, k, f);
  },
  budget: (p, v, k, f) => {
    p.budget = parseBudget(v, k, f);
  },
  budgetAction: (p, v, k, f) => {
    p.budgetAction = parseBudgetAction(v, k, f);
  },
};

const KNOWN = Object.keys(PROVIDER_KEYS);

/** `providers` from code or a file: validated, hosts normalised, durations in milliseconds. */
export function parseProviders(value: unknown, key: string, file?: string): Map<string, ProviderOptions> {
  const providers = new Map<string, ProviderOptions>();
  for (const [name, options] of plainEntries(value, key, 'an object of provider names to options', file)) {
    const nameKey = childKey(key, name);
    parseProviderName(name, nameKey, file);
    providers.set(name, parseProvider(options, nameKey, file));
  }
  return providers;
}

function parseProvider(value: unknown, key: string, file?: string): ProviderOptions {
  const provider: ProviderOptions = {};
  const accepted = `an object with any of ${KNOWN.join(', ')}`;
  for (const [option, optionValue] of plainEntries(value, key, accepted, file)) {
    const optionKey = childKey(key, option);
    const assign = Object.hasOwn(PROVIDER_KEYS, option) ? PROVIDER_KEYS[option] : undefined;
    if (assign === undefined) throw unknownKey(optionKey, optionValue, KNOWN, file);
    // Code often spreads partial objects; an explicit undefined means "not set".
    if (optionValue !== undefined) assign(provider, optionValue, optionKey, file);
  }
  return provider;
}

function parseHosts(value: unknown, key: string, file?: string): string[] {
  if (!Array.isArray(value))
    throw new ConfigError({ key, value, accepted: 'an array of host patterns', file });
  const items: unknown[] = value;
  return [...new Set(items.map((host, index) => parseHostPattern(host, `${key}[${index}]`, file)))];
}

function parseTripOn(value: unknown, key: string, file?: string): Outcome[] {
  if (!Array.isArray(value)) {
    throw new ConfigError({ key, value, accepted: `an array of ${TRIPPABLE_OUTCOMES.join(', ')}`, file });
  }
  const items: unknown[] = value;
  return [
    ...new Set(
      items.map((outcome, index) => {
        if (isOutcome(outcome) && TRIPPABLE_OUTCOMES.includes(outcome)) return outcome;
        throw new ConfigError({
          key: `${key}[${index}]`,
          value: outcome,
          accepted: `one of ${TRIPPABLE_OUTCOMES.join(', ')}`,
          file,
        });
      }),
    ),
  ];
}

const ABORT_TIMEOUT_KEYS = ['factor', 'min'];

/** `{ factor: 4, min: '1s' }` or `false`; factor from 1 to 100, min a duration. */
function parseAbortTimeout(value: unknown, key: string, file?: string): ProviderOptions['abortTimeout'] {
  if (value === false) return false;
  const rule: { factor?: number; min?: string | number } = {};
  const accepted = 'false, or an object with factor (1 to 100) and/or min (a duration)';
  for (const [name, entry] of plainEntries(value, key, accepted, file)) {
    const entryKey = childKey(key, name);
    if (name === 'factor') {
      if (typeof entry !== 'number' || !(entry >= 1 && entry <= 100))
        throw new ConfigError({ key: entryKey, value: entry, accepted: 'a number from 1 to 100', file });
      rule.factor = entry;
    } else if (name === 'min') {
      parseDuration(entry, entryKey, file);
      rule.min = entry as string | number;
    } else throw unknownKey(entryKey, entry, ABORT_TIMEOUT_KEYS, file);
  }
  return rule;
}

/** The slow-call window is a ring of this many marks: bounded, so a typo cannot allocate gigabytes. */
export const MAX_SLOW_CALL_MIN_CALLS = 10_000;

function parseCallCount(value: unknown, key: string, file?: string): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_SLOW_CALL_MIN_CALLS)
    return value;
  throw new ConfigError({ key, value, accepted: `an integer from 1 to ${MAX_SLOW_CALL_MIN_CALLS}`, file });
}

const ENDPOINT_KEYS = ['hosts', 'region'];
const REGION = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** `{ eu: { hosts: [...], region: 'eu-west-1' } }`: keys in the provider-name alphabet. */
function parseEndpoints(value: unknown, key: string, file?: string): Record<string, EndpointOptions> {
  const endpoints: Record<string, EndpointOptions> = {};
  for (const [name, options] of plainEntries(
    value,
    key,
    'an object of endpoint names to { hosts, region }',
    file,
  )) {
    const nameKey = childKey(key, name);
    if (!ENDPOINT_KEY_PATTERN.test(name))
      throw new ConfigError({
        key: nameKey,
        value: name,
        accepted: `an endpoint name: ${PROVIDER_NAME_ACCEPTED}`,
        file,
      });
    const endpoint: EndpointOptions = {};
    for (const [option, optionValue] of plainEntries(
      options,
      nameKey,
      'an object with hosts and/or region',
      file,
    )) {
      const optionKey = childKey(nameKey, option);
      if (option === 'hosts') endpoint.hosts = parseHosts(optionValue, optionKey, file);
      else if (option === 'region') {
        if (typeof optionValue !== 'string' || !REGION.test(optionValue))
          throw new ConfigError({
            key: optionKey,
            value: optionValue,
            accepted: 'a region such as eu-west-1',
            file,
          });
        endpoint.region = optionValue;
      } else throw unknownKey(optionKey, optionValue, ENDPOINT_KEYS, file);
    }
    endpoints[name] = endpoint;
  }
  return endpoints;
}
