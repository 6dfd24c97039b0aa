import { isOutcome, LOCAL_OUTCOMES, OUTCOMES, type Outcome } from '../outcome/outcome.js';
import type { BodyRule, OutcomeRules } from '../outcome/rules.js';
import { ConfigError } from './config-error.js';
import { childKey, plainEntries, unknownKey } from './object-entries.js';
import type { OutcomeRulesInput } from './options.js';

const KEYS = ['status', 'body', 'errorCodes'];
const OUTCOME_ACCEPTED = `one of ${OUTCOMES.filter((o) => !LOCAL_OUTCOMES.includes(o)).join(', ')}`;

/**
 * `providers.<name>.outcomes`: classification rules that win over the built-in ones, validated
 * like every other option (a typo names its key, the value and what is accepted).
 */
export function parseOutcomeRules(value: unknown, key: string, file?: string): OutcomeRulesInput {
  const rules: OutcomeRulesInput = {};
  for (const [name, entry] of plainEntries(value, key, `an object with any of ${KEYS.join(', ')}`, file)) {
    const entryKey = childKey(key, name);
    if (name === 'status') rules.status = parseStatusMap(entry, entryKey, file);
    else if (name === 'body') rules.body = parseBodyRules(entry, entryKey, file);
    else if (name === 'errorCodes') rules.errorCodes = parseCodeMap(entry, entryKey, file);
    else throw unknownKey(entryKey, entry, KEYS, file);
  }
  return rules;
}

/** The classifier's form of the rules. */
export function toOutcomeRules(input: OutcomeRulesInput | undefined): OutcomeRules {
  if (input === undefined) return {};
  const rules: OutcomeRules = {};
  if (input.status !== undefined) {
    rules.statusOverrides = Object.fromEntries(Object.entries(input.status).map(([s, o]) => [Number(s), o]));
  }
  if (input.body !== undefined) rules.bodyRules = input.body;
  if (input.errorCodes !== undefined) rules.errorCodeOverrides = { ...input.errorCodes };
  return rules;
}

function parseOutcome(value: unknown, key: string, file?: string): Outcome {
  if (isOutcome(value) && !LOCAL_OUTCOMES.includes(value)) return value;
  throw new ConfigError({ key, value, accepted: OUTCOME_ACCEPTED, file });
}

function parseStatusMap(value: unknown, key: string, file?: string): Record<string, Outcome> {
  const result: Record<string, Outcome> = {};
  for (const [status, outcome] of plainEntries(value, key, 'an object of HTTP statuses to outcomes', file)) {
    const statusKey = childKey(key, status);
    if (!/^[1-5]\d\d$/.test(status))
      throw new ConfigError({
        key: statusKey,
        value: status,
        accepted: 'an HTTP status from 100 to 599',
        file,
      });
    result[status] = parseOutcome(outcome, statusKey, file);
  }
  return result;
}

function parseCodeMap(value: unknown, key: string, file?: string): Record<string, Outcome> {
  const result: Record<string, Outcome> = {};
  for (const [code, outcome] of plainEntries(value, key, 'an object of error codes to outcomes', file)) {
    result[code] = parseOutcome(outcome, childKey(key, code), file);
  }
  return result;
}

function parseBodyRules(value: unknown, key: string, file?: string): BodyRule[] {
  const accepted = 'an array of { contains, outcome, statuses? }';
  if (!Array.isArray(value)) throw new ConfigError({ key, value, accepted, file });
  return (value as unknown[]).map((rule, index) => {
    const ruleKey = `${key}[${index}]`;
    const entries = new Map(plainEntries(rule, ruleKey, accepted, file));
    for (const name of entries.keys()) {
      if (!['contains', 'outcome', 'statuses'].includes(name))
        throw unknownKey(
          childKey(ruleKey, name),
          entries.get(name),
          ['contains', 'outcome', 'statuses'],
          file,
        );
    }
    const contains = entries.get('contains');
    if (typeof contains !== 'string' || contains === '') {
      throw new ConfigError({
        key: `${ruleKey}.contains`,
        value: contains,
        accepted: 'a non-empty string',
        file,
      });
    }
    const parsed: BodyRule = {
      contains,
      outcome: parseOutcome(entries.get('outcome'), `${ruleKey}.outcome`, file),
    };
    const statuses = entries.get('statuses');
    if (statuses !== undefined) {
      if (!Array.isArray(statuses) || !statuses.every((s) => Number.isInteger(s) && s >= 100 && s <= 599)) {
        throw new ConfigError({
          key: `${ruleKey}.statuses`,
          value: statuses,
          accepted: 'an array of HTTP statuses',
          file,
        });
      }
      return { ...parsed, statuses: statuses as number[] };
    }
    return parsed;
  });
}
