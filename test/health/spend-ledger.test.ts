import { describe, expect, it } from 'vitest';
import { priceRules } from '../../src/config/cost-options.js';
import { BudgetWindow } from '../../src/health/budget-window.js';
import { costOf, PriceTable } from '../../src/health/price-table.js';
import { MAX_MODELS, OTHER_MODEL, SpendLedger } from '../../src/health/spend-ledger.js';
import { OUTCOME_INDEX } from '../../src/outcome/outcome.js';

/** Prices and the ledger (docs/design.md, "Token usage and cost"). */
const table = () =>
  new PriceTable(
    priceRules({
      'gpt-4o': { input: 2.5, output: 10 },
      'gpt-4o*': { input: 3, output: 12 },
      'gpt-4o-mini*': { input: 0.15, output: 0.6 },
      '*': { input: 1, output: 1 },
    }),
  );

describe('the price table', () => {
  it('an exact name wins, then the longest prefix, then *; a response without a model gets only *', () => {
    const prices = table();
    expect(prices.priceOf('gpt-4o')).toMatchObject({ input: 2.5, output: 10 });
    expect(prices.priceOf('gpt-4o-2024-08-06')).toMatchObject({ input: 3, output: 12 });
    expect(prices.priceOf('gpt-4o-mini-2024-07-18')).toMatchObject({ input: 0.15, output: 0.6 });
    expect(prices.priceOf('claude-x')).toMatchObject({ input: 1, output: 1 });
    expect(prices.priceOf(undefined)).toMatchObject({ input: 1, output: 1 });
    const noStar = new PriceTable(priceRules({ 'gpt-4o*': { input: 3, output: 12 } }));
    expect(noStar.priceOf('claude-x')).toBeUndefined();
    expect(noStar.priceOf(undefined)).toBeUndefined();
    expect(new PriceTable([]).empty).toBe(true);
  });

  it('prices are per million tokens', () => {
    expect(costOf({ input: 2.5, output: 10 }, 1_000_000, 500_000)).toBe(7.5);
    expect(costOf({ input: 0.15, output: 0.6 }, 12, 34)).toBeCloseTo((12 * 0.15 + 34 * 0.6) / 1e6, 15);
  });
});

describe('the spend ledger', () => {
  it('counts tokens per model and cost per model and outcome, and feeds the budget', () => {
    const budget = new BudgetWindow(100, 3_600_000);
    const ledger = new SpendLedger(table(), budget);
    const slot = ledger.slotOf('gpt-4o');
    expect(ledger.add(slot, 'gpt-4o', OUTCOME_INDEX.success, 1_000_000, 0, 1_000)).toBe(2.5);
    expect(ledger.add(slot, 'gpt-4o', OUTCOME_INDEX.connection_error, 0, 1_000_000, 1_000)).toBe(10);
    expect(ledger.inputTokens[slot.index]).toBe(1_000_000);
    expect(ledger.outputTokens[slot.index]).toBe(1_000_000);
    const seen: Array<[string | undefined, number, number]> = [];
    ledger.forEachCost((s, outcome, cost) => seen.push([s.name, outcome, cost]));
    expect(seen).toEqual([
      ['gpt-4o', OUTCOME_INDEX.success, 2.5],
      ['gpt-4o', OUTCOME_INDEX.connection_error, 10],
    ]);
    expect(budget.spent(1_000)).toBe(12.5);
  });

  it(`keeps ${MAX_MODELS} models apart; more share ${OTHER_MODEL}, each priced by its own name`, () => {
    const ledger = new SpendLedger(table(), undefined);
    for (let i = 0; i < MAX_MODELS; i++) ledger.slotOf(`model-${i}`);
    const other = ledger.slotOf('gpt-4o-mini-2024-07-18');
    expect(other.name).toBe(OTHER_MODEL);
    expect(ledger.slotOf('gpt-4o')).toBe(other);
    expect(ledger.add(other, 'gpt-4o-mini-2024-07-18', OUTCOME_INDEX.success, 1_000_000, 0, 0)).toBe(0.15);
    expect(ledger.add(other, 'gpt-4o', OUTCOME_INDEX.success, 1_000_000, 0, 0)).toBe(2.5);
    expect(ledger.slots).toHaveLength(MAX_MODELS + 1);
  });
});
