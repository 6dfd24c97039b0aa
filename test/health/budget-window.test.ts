import { describe, expect, it } from 'vitest';
import { BudgetWindow } from '../../src/health/budget-window.js';

/**
 * The budget's sliding window (docs/design.md, "Token usage and cost"): ten slots of a tenth of
 * the window; spend leaves it a slot at a time. Times are given, never waited for.
 */
const HOUR = 3_600_000;
const SLOT = HOUR / 10;

describe('the budget window', () => {
  it('adds spend, is exhausted at the amount, and frees when the spend leaves the window, not before', () => {
    const window = new BudgetWindow(50, HOUR);
    const t0 = 10 * HOUR; // at the start of a slot
    window.add(t0, 30);
    window.add(t0 + 2 * SLOT + 5, 25);
    expect(window.spent(t0 + 2 * SLOT + 5)).toBe(55);
    expect(window.exhausted(t0 + 2 * SLOT + 5)).toBe(true);
    // The first 30 leaves when its slot leaves the window, a whole window after that slot began.
    expect(window.msUntilFree(t0 + 2 * SLOT + 5)).toBe(HOUR - 2 * SLOT - 5);
    expect(window.exhausted(t0 + HOUR - 1)).toBe(true);
    expect(window.spent(t0 + HOUR)).toBe(25);
    expect(window.exhausted(t0 + HOUR)).toBe(false);
    expect(window.msUntilFree(t0 + HOUR)).toBe(0);
    expect(window.spent(t0 + HOUR + 3 * SLOT)).toBe(0);
  });

  it('when one slot is not enough, waits for as many as it takes, oldest first', () => {
    const window = new BudgetWindow(10, HOUR);
    const t0 = 20 * HOUR;
    for (let slot = 0; slot < 5; slot++) window.add(t0 + slot * SLOT, 4);
    const now = t0 + 4 * SLOT + 1;
    expect(window.spent(now)).toBe(20);
    // 20 - 4 - 4 - 4 = 8 < 10 once the third slot has left.
    expect(window.msUntilFree(now)).toBe(t0 + 2 * SLOT + HOUR - now);
  });

  it('ignores spend that is not a positive number (NaN, negative, zero)', () => {
    const window = new BudgetWindow(1, HOUR);
    for (const cost of [Number.NaN, -5, 0, Number.NEGATIVE_INFINITY]) window.add(HOUR, cost);
    expect(window.spent(HOUR)).toBe(0);
    expect(window.msUntilFree(HOUR)).toBe(0);
  });
});
