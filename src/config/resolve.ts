import { DEFAULT_TRIPPING_OUTCOMES } from '../outcome/outcome.js';
import { ConfigError } from './config-error.js';
import { budgetWindowMs, priceRules } from './cost-options.js';
import { parseDuration, parseTimeout } from './duration.js';
import { loadConfigFile } from './file.js';
import { type Env, mergeLayers, normalizeOptions, readEnvOptions } from './layers.js';
import { childKey } from './object-entries.js';
import {
  DEFAULT_ABORT_TIMEOUT,
  DEFAULT_SLOW_CALL_MIN_CALLS,
  DEFAULT_SLOW_CALL_RATE,
  type ProviderHealthOptions,
  type ResolvedOptions,
  type ResolvedProviderOptions,
} from './options.js';
import { toOutcomeRules } from './outcome-rules.js';
import { parseDurationOrRelative } from './relative-threshold.js';

/**
 * Options in code, then the environment, then the config file (named by `configFile` or
 * `PROVIDER_HEALTH_CONFIG`), then defaults. Throws one ConfigError for the first problem found,
 * checking code, then environment, then file; never any other error.
 */
export function resolveOptions(code: ProviderHealthOptions = {}, env: Env = process.env): ResolvedOptions {
  const fromCode = normalizeOptions(code);
  const fromEnv = readEnvOptions(env);
  let fromFile = {};
  if (fromCode.configFile !== undefined) fromFile = loadConfigFile(fromCode.configFile, 'configFile');
  else if (fromEnv.configFile !== undefined) {
    fromFile = loadConfigFile(fromEnv.configFile, 'PROVIDER_HEALTH_CONFIG');
  }
  return mergeLayers([fromCode, fromEnv, fromFile]);
}

/**
 * One provider's effective settings: its own, else the global ones. Works for names the user
 * never configured (built-in providers), which get the globals and no extra hosts. Durations
 * are parsed again because `resolved.providers` is a plain, mutable object.
 */
export function resolveProviderOptions(resolved: ResolvedOptions, name: string): ResolvedProviderOptions {
  const own = Object.hasOwn(resolved.providers, name) ? resolved.providers[name] : undefined;
  const key = childKey('providers', name);
  for (const companion of ['slowCallRate', 'slowCallMinCalls'] as const) {
    if (own?.[companion] !== undefined && own.slowCallDuration === undefined)
      throw new ConfigError({
        key: `${key}.${companion}`,
        value: own[companion],
        accepted: 'a setting together with slowCallDuration (the slow-call rule is off without it)',
      });
  }
  return {
    hosts: [...(own?.hosts ?? [])],
    failureThreshold: own?.failureThreshold ?? resolved.failureThreshold,
    recoveryTimeoutMs:
      own?.recoveryTimeout === undefined
        ? resolved.recoveryTimeoutMs
        : parseDuration(own.recoveryTimeout, `${key}.recoveryTimeout`),
    successThreshold: own?.successThreshold ?? resolved.successThreshold,
    trialTimeoutMs:
      own?.trialTimeout === undefined
        ? resolved.trialTimeoutMs
        : parseTimeout(own.trialTimeout, `${key}.trialTimeout`),
    tripOn: [...(own?.tripOn ?? DEFAULT_TRIPPING_OUTCOMES)],
    healthCheckUrl: own?.healthCheckUrl ?? false,
    endpoints: { ...(own?.endpoints ?? {}) },
    abortTimeout:
      own?.abortTimeout === false
        ? false
        : {
            factor: own?.abortTimeout?.factor ?? DEFAULT_ABORT_TIMEOUT.factor,
            minMs:
              own?.abortTimeout?.min === undefined
                ? DEFAULT_ABORT_TIMEOUT.minMs
                : parseDuration(own.abortTimeout.min, `${key}.abortTimeout.min`),
          },
    rules: toOutcomeRules(own?.outcomes),
    usage: own?.usage,
    prices: priceRules(own?.prices),
    budget:
      own?.budget === undefined
        ? undefined
        : { amount: own.budget.amount, windowMs: budgetWindowMs(own.budget, `${key}.budget`) },
    budgetAction: own?.budgetAction ?? 'degrade',
    slowCall:
      own?.slowCallDuration === undefined
        ? false
        : {
            duration: parseDurationOrRelative(own.slowCallDuration, `${key}.slowCallDuration`),
            rate: own.slowCallRate ?? DEFAULT_SLOW_CALL_RATE,
            minCalls: own.slowCallMinCalls ?? DEFAULT_SLOW_CALL_MIN_CALLS,
          },
  };
}
