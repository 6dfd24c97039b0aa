import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../src/config/resolve.js';

/** Bad cost settings get one message naming the key, the value and what is accepted. */
const resolveWith = (openai: Record<string, unknown>) => () =>
  resolveOptions({ providers: { openai } } as Parameters<typeof resolveOptions>[0], {});
const PRICES = { 'gpt-4o*': { input: 2.5, output: 10 } };

describe('cost settings', () => {
  it.each([
    [{ budget: { amount: 5, per: '1h' } }, /providers\.openai\.budget.*together with prices/],
    [{ prices: PRICES, budget: { amount: 5, per: '10s' } }, /providers\.openai\.budget\.per="10s"/],
    [
      { prices: PRICES, budget: { amount: -1, per: '1h' } },
      /providers\.openai\.budget\.amount=-1.*greater than 0/,
    ],
    [{ prices: PRICES, budget: { amount: 5 } }, /both amount and per/],
    [
      { prices: PRICES, budgetAction: 'block' },
      /providers\.openai\.budgetAction="block".*one of degrade, reject/,
    ],
    [
      { prices: PRICES, budget: { amount: 5, per: '1h' }, usage: false },
      /providers\.openai\.budget=.*usage is false/,
    ],
    [
      { prices: PRICES, budgetAction: 'reject' },
      /providers\.openai\.budgetAction="reject".*together with a budget/,
    ],
    [{ prices: { 'gpt-4o': { input: 2.5 } } }, /both input and output/],
    [{ prices: { 'gpt-4o': { input: 2_500_000, output: 1 } } }, /input=2500000.*from 0 to 100000/],
    [
      { usage: 'cohere' },
      /providers\.openai\.usage="cohere".*one of openai, anthropic, gemini, bedrock, or false/,
    ],
  ])('refuses %j', (openai, message) => {
    expect(resolveWith(openai)).toThrow(message);
  });

  it('accepts prices, a budget and an action, and the currency', () => {
    const resolved = resolveOptions(
      {
        currency: 'EUR',
        providers: { openai: { prices: PRICES, budget: { amount: 50, per: '1h' }, budgetAction: 'reject' } },
      },
      {},
    );
    expect(resolved.currency).toBe('EUR');
    expect(() => resolveOptions({ currency: 'euro' }, {})).toThrow(/currency="euro".*three-letter/);
  });
});

describe('examples/prices.yaml', () => {
  it('is a valid configuration file with a date for its prices', async () => {
    const { readFileSync } = await import('node:fs');
    const path = new URL('../../examples/prices.yaml', import.meta.url).pathname;
    expect(readFileSync(path, 'utf8')).toMatch(/on \d{4}-\d{2}-\d{2}/);
    const resolved = resolveOptions({ configFile: path }, {});
    expect(Object.keys(resolved.providers)).toEqual(expect.arrayContaining(['openai', 'anthropic']));
  });
});
