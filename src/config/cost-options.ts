import type { PriceRule } from '../health/price-table.js';
import { isUsageFormat, USAGE_FORMATS, type UsageFormat } from '../usage/usage-format.js';
import { ConfigError } from './config-error.js';
import { parseDurationAtLeast } from './duration.js';
import { childKey, plainEntries, unknownKey } from './object-entries.js';
import type { BudgetAction, BudgetOptions, PriceInput } from './options.js';

/**
 * Per-provider settings of token usage and cost (docs/design.md, "Token usage and cost"):
 * where usage is read from, the price table, the budget and what a spent budget does. Absurd
 * values are refused with their bounds, like every other setting.
 */

/** No model costs more than this per million tokens; a larger number is a typo (a price per token?). */
export const MAX_PRICE_PER_MILLION = 100_000;
/** A budget above this is no budget: leave it out instead. */
export const MAX_BUDGET_AMOUNT = 1_000_000_000;
/** The shortest budget window: a budget per second would flap with every request. */
export const MIN_BUDGET_WINDOW_MS = 60_000;
export const BUDGET_ACTIONS: readonly BudgetAction[] = ['degrade', 'reject'];

const MODEL_KEY = /^(?:\*|[\w.:@/+-]{1,128}\*?)$/;
const PRICE_KEYS = ['input', 'output'];
const BUDGET_KEYS = ['amount', 'per'];
const CURRENCY = /^[A-Z]{3}$/;

export function parseUsageFormat(value: unknown, key: string, file?: string): UsageFormat | false {
  if (value === false || isUsageFormat(value)) return value;
  throw new ConfigError({ key, value, accepted: `one of ${USAGE_FORMATS.join(', ')}, or false`, file });
}

function parsePrice(value: unknown, key: string, file?: string): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_PRICE_PER_MILLION)
    return value;
  throw new ConfigError({
    key,
    value,
    accepted: `a price per million tokens from 0 to ${MAX_PRICE_PER_MILLION}`,
    file,
  });
}

/** `{ 'gpt-4o-mini': { input: 0.15, output: 0.6 }, 'gpt-4o*': {...}, '*': {...} }`. */
export function parsePrices(value: unknown, key: string, file?: string): Record<string, PriceInput> {
  const prices: Record<string, PriceInput> = {};
  for (const [model, entry] of plainEntries(
    value,
    key,
    'an object of model names (or prefixes ending in *) to { input, output }',
    file,
  )) {
    const modelKey = childKey(key, model);
    if (!MODEL_KEY.test(model))
      throw new ConfigError({
        key: modelKey,
        value: model,
        accepted:
          'a model name of letters, digits and . _ : @ / + - (at most 128), optionally ending in * for a prefix, or * alone for any model',
        file,
      });
    const price: Partial<PriceInput> = {};
    for (const [side, amount] of plainEntries(entry, modelKey, 'an object with input and output', file)) {
      const sideKey = childKey(modelKey, side);
      if (side === 'input') price.input = parsePrice(amount, sideKey, file);
      else if (side === 'output') price.output = parsePrice(amount, sideKey, file);
      else throw unknownKey(sideKey, amount, PRICE_KEYS, file);
    }
    if (price.input === undefined || price.output === undefined)
      throw new ConfigError({
        key: modelKey,
        value: entry,
        accepted: 'an object with both input and output',
        file,
      });
    prices[model] = { input: price.input, output: price.output };
  }
  return prices;
}

/** The price table's rules from the validated option. */
export function priceRules(prices: Readonly<Record<string, PriceInput>> | undefined): PriceRule[] {
  return Object.entries(prices ?? {}).map(([model, price]) => {
    const prefix = model.endsWith('*');
    return { model: prefix ? model.slice(0, -1) : model, prefix, input: price.input, output: price.output };
  });
}

const parseBudgetWindow = parseDurationAtLeast(MIN_BUDGET_WINDOW_MS);

/** `{ amount: 50, per: '1h' }`: at most `amount` in the configured currency over a sliding `per`. */
export function parseBudget(value: unknown, key: string, file?: string): BudgetOptions {
  const budget: Partial<BudgetOptions> = {};
  for (const [name, entry] of plainEntries(
    value,
    key,
    'an object with amount and per, e.g. { amount: 50, per: 1h }',
    file,
  )) {
    const entryKey = childKey(key, name);
    if (name === 'amount') {
      if (typeof entry !== 'number' || !Number.isFinite(entry) || entry <= 0 || entry > MAX_BUDGET_AMOUNT)
        throw new ConfigError({
          key: entryKey,
          value: entry,
          accepted: `an amount greater than 0 and at most ${MAX_BUDGET_AMOUNT}`,
          file,
        });
      budget.amount = entry;
    } else if (name === 'per') {
      parseBudgetWindow(entry, entryKey, file);
      budget.per = entry as string | number;
    } else throw unknownKey(entryKey, entry, BUDGET_KEYS, file);
  }
  if (budget.amount === undefined || budget.per === undefined)
    throw new ConfigError({
      key,
      value,
      accepted: 'an object with both amount and per, e.g. { amount: 50, per: 1h }',
      file,
    });
  return { amount: budget.amount, per: budget.per };
}

/** The budget window in milliseconds, from a validated `per`. */
export function budgetWindowMs(budget: BudgetOptions, key: string): number {
  return parseBudgetWindow(budget.per, `${key}.per`);
}

export function parseBudgetAction(value: unknown, key: string, file?: string): BudgetAction {
  if (typeof value === 'string' && (BUDGET_ACTIONS as readonly string[]).includes(value))
    return value as BudgetAction;
  throw new ConfigError({
    key,
    value,
    accepted: `one of ${BUDGET_ACTIONS.join(', ')} (degrade: status degraded, reason budget; reject: answered locally, outcome budget_exceeded)`,
    file,
  });
}

/** An ISO 4217 code such as USD or EUR: the unit of prices, budgets and `ai_provider.cost`. */
export function parseCurrency(value: unknown, key: string, file?: string): string {
  if (typeof value === 'string' && CURRENCY.test(value.trim())) return value.trim();
  throw new ConfigError({ key, value, accepted: 'a three-letter currency code such as USD or EUR', file });
}
