import { isOutcome, OUTCOMES, type Outcome, UNCOUNTED_OUTCOMES } from '../outcome/outcome.js';
import { ConfigError } from './config-error.js';
import { parseDuration, parseTimeout } from './duration.js';
import { parseHostPattern, parseProviderName } from './host-pattern.js';
import { childKey, plainEntries, unknownKey } from './object-entries.js';
import type { ProviderOptions } from './options.js';
import { parseOutcomeRules } from './outcome-rules.js';
import { parseHealthCheckUrl, parseThreshold } from './values.js';

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
  healthCheckUrl: (p, v, k, f) => {
    p.healthCheckUrl = parseHealthCheckUrl(v, k, f);
  },
  outcomes: (p, v, k, f) => {
    p.outcomes = parseOutcomeRules(v, k, f);
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
