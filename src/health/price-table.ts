/** A model's price, per million tokens, in the configured currency. */
export interface Price {
  readonly input: number;
  readonly output: number;
}

/** One entry of a provider's price table: a model, or with `prefix` every model starting so (`*` alone: any model). */
export interface PriceRule extends Price {
  readonly model: string;
  readonly prefix: boolean;
}

/**
 * A provider's prices by model (docs/design.md, "Token usage and cost"): an exact name wins,
 * then the longest prefix (`gpt-4o-mini*` over `gpt-4o*`), then `*`. There are no built-in
 * prices: they change, and a stale table would report wrong spend with confidence.
 */
export class PriceTable {
  private readonly exact = new Map<string, Price>();
  private readonly prefixes: readonly PriceRule[];

  constructor(rules: readonly PriceRule[]) {
    for (const rule of rules) if (!rule.prefix) this.exact.set(rule.model, rule);
    this.prefixes = rules.filter((rule) => rule.prefix).sort((a, b) => b.model.length - a.model.length);
  }

  get empty(): boolean {
    return this.exact.size === 0 && this.prefixes.length === 0;
  }

  /** The price of `model` (undefined: the response named none; only `*` applies then). */
  priceOf(model: string | undefined): Price | undefined {
    if (model === undefined) return this.prefixes.find((rule) => rule.model === '');
    const exact = this.exact.get(model);
    if (exact !== undefined) return exact;
    return this.prefixes.find((rule) => model.startsWith(rule.model));
  }
}

/** What `tokens` cost at `price`, in the currency: prices are per million tokens. */
export function costOf(price: Price, inputTokens: number, outputTokens: number): number {
  return (inputTokens * price.input + outputTokens * price.output) / 1_000_000;
}
