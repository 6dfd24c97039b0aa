import { MODES, REJECT_WITH } from './defaults.js';
import { parseDuration, parsePositiveDuration } from './duration.js';
import type { OptionLayer } from './layer.js';
import { childKey, plainEntries, unknownKey } from './object-entries.js';
import { parseProviders } from './provider-options.js';
import { parseServer } from './server-address.js';
import {
  parseAdminToken,
  parseBoolean,
  parseEnum,
  parseNonEmptyString,
  parseRate,
  parseThreshold,
} from './values.js';

type Assign = (layer: OptionLayer, value: unknown, key: string, file?: string) => void;

/** Every key of ProviderHealthOptions. A new option needs an entry here, in env.ts and in merge.ts. */
const OPTION_KEYS: Readonly<Record<string, Assign>> = {
  mode: (l, v, k, f) => {
    l.mode = parseEnum(v, MODES, k, f);
  },
  rejectWith: (l, v, k, f) => {
    l.rejectWith = parseEnum(v, REJECT_WITH, k, f);
  },
  failureThreshold: (l, v, k, f) => {
    l.failureThreshold = parseThreshold(v, k, f);
  },
  recoveryTimeout: (l, v, k, f) => {
    l.recoveryTimeoutMs = parseDuration(v, k, f);
  },
  successThreshold: (l, v, k, f) => {
    l.successThreshold = parseThreshold(v, k, f);
  },
  trialTimeout: (l, v, k, f) => {
    l.trialTimeoutMs = parsePositiveDuration(v, k, f);
  },
  providers: (l, v, k, f) => {
    l.providers = parseProviders(v, k, f);
  },
  server: (l, v, k, f) => {
    l.server = parseServer(v, k, f);
  },
  adminToken: (l, v, k, f) => {
    l.adminToken = parseAdminToken(v, k, f);
  },
  checkInterval: (l, v, k, f) => {
    l.checkIntervalMs = v === false || v === 'off' ? false : parsePositiveDuration(v, k, f);
  },
  checkTimeout: (l, v, k, f) => {
    l.checkTimeoutMs = parsePositiveDuration(v, k, f);
  },
  checkFeedsBreaker: (l, v, k, f) => {
    l.checkFeedsBreaker = parseBoolean(v, k, f);
  },
  degradedFailureRate: (l, v, k, f) => {
    l.degradedFailureRate = parseRate(v, k, f);
  },
  degradedLatency: (l, v, k, f) => {
    l.degradedLatencyMs = parsePositiveDuration(v, k, f);
  },
  statsWindow: (l, v, k, f) => {
    l.statsWindowMs = parsePositiveDuration(v, k, f);
  },
  configFile: (l, v, k, f) => {
    l.configFile = parseNonEmptyString(v, k, f);
  },
};

/** A config file cannot name another config file: one level of indirection is enough. */
const FILE_KEYS = Object.keys(OPTION_KEYS).filter((key) => key !== 'configFile');
const CODE_KEYS = Object.keys(OPTION_KEYS);

/**
 * Validates options given in code (`file` undefined) or read from a config file. JavaScript
 * callers and YAML authors can pass anything, so nothing here trusts the declared types.
 */
export function normalizeOptions(raw: unknown, file?: string): OptionLayer {
  const known = file === undefined ? CODE_KEYS : FILE_KEYS;
  const root = file === undefined ? 'options' : '(top level)';
  const layer: OptionLayer = {};
  const accepted = `an object with any of ${known.join(', ')}`;
  for (const [name, value] of plainEntries(raw, root, accepted, file)) {
    const key = childKey('', name);
    const assign = known.includes(name) ? OPTION_KEYS[name] : undefined;
    if (assign === undefined) throw unknownKey(key, value, known, file);
    if (value !== undefined) assign(layer, value, key, file);
  }
  return layer;
}
