import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveOptions } from '../../src/config/resolve.js';
import { ProviderRegistry } from '../../src/providers/registry.js';

/**
 * A budget on a provider that has no usage format (a custom one) can never be spent. Whether it
 * has one is known only where the catalog meets the configuration, when the registry creates the
 * provider: it warns there, naming the key, instead of throwing into the code that made it.
 */
const BUDGET = { prices: { '*': { input: 1, output: 1 } }, budget: { amount: 5, per: '1h' } };

afterEach(() => {
  vi.restoreAllMocks();
});

function warnings(providers: Record<string, unknown>): string[] {
  const lines: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => {
    lines.push(String(chunk));
    return true;
  });
  new ProviderRegistry(
    resolveOptions({ server: false, providers } as Parameters<typeof resolveOptions>[0], {}),
  );
  vi.restoreAllMocks();
  return lines.filter((line) => line.includes('budget never acts'));
}

describe('a budget on a provider without a usage format', () => {
  it('is warned about, naming the usage key, for a custom provider', () => {
    const lines = warnings({ 'my-llm': { hosts: ['llm.internal'], ...BUDGET } });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('providers.my-llm.usage');
  });

  it('is silent when the custom provider names its format, or the catalog gives one', () => {
    expect(warnings({ 'my-llm': { hosts: ['llm.internal'], usage: 'openai', ...BUDGET } })).toEqual([]);
    expect(warnings({ openai: BUDGET })).toEqual([]);
  });
});
