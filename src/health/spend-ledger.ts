import { OUTCOMES } from '../outcome/outcome.js';
import type { BudgetWindow } from './budget-window.js';
import { costOf, type Price, type PriceTable } from './price-table.js';

/** Models a provider keeps apart in its spend and token metrics; more share `other` (bounded cardinality). */
export const MAX_MODELS = 16;
export const OTHER_MODEL = 'other';

/** One model of a provider's ledger: its metric name (`undefined`: the response named none) and its price. */
export interface ModelSlot {
  readonly index: number;
  readonly name: string | undefined;
  /** Whether the first request that named it named it in the response (else in the path). */
  readonly fromResponse: boolean;
  /** Looked up once; undefined when the price table has none. The `other` slot prices each request. */
  readonly price: Price | undefined;
}

/**
 * What a provider's traffic cost (docs/design.md, "Token usage and cost"): lifetime tokens per
 * model, spend per model and outcome (what failed calls cost is counted apart), and the budget
 * window. Read by the metrics at collection time, so totals survive a move between
 * MeterProviders. Shared by a provider and its endpoints: the budget is the provider's.
 */
export class SpendLedger {
  readonly slots: ModelSlot[] = [];
  private readonly byName = new Map<string, ModelSlot>();
  private unknown: ModelSlot | undefined;
  private other: ModelSlot | undefined;
  readonly inputTokens: number[] = [];
  readonly outputTokens: number[] = [];
  /** By `slot.index * OUTCOMES.length + outcome index`. */
  readonly cost: number[] = [];

  constructor(
    readonly prices: PriceTable,
    readonly budget: BudgetWindow | undefined,
  ) {}

  /** The slot of `model`: its own while fewer than MAX_MODELS exist, else the shared `other`. */
  slotOf(model: string | undefined, fromResponse = true): ModelSlot {
    if (model === undefined) {
      this.unknown ??= this.newSlot(undefined, this.prices.priceOf(undefined), false);
      return this.unknown;
    }
    const found = this.byName.get(model);
    if (found !== undefined) return found;
    if (this.byName.size >= MAX_MODELS) {
      this.other ??= this.newSlot(OTHER_MODEL, undefined, fromResponse);
      return this.other;
    }
    const slot = this.newSlot(model, this.prices.priceOf(model), fromResponse);
    this.byName.set(model, slot);
    return slot;
  }

  /** Adds one request's tokens; returns what they cost (0 without a price). */
  add(
    slot: ModelSlot,
    model: string | undefined,
    outcomeIndex: number,
    input: number,
    output: number,
    now: number,
  ): number {
    this.inputTokens[slot.index] = (this.inputTokens[slot.index] as number) + input;
    this.outputTokens[slot.index] = (this.outputTokens[slot.index] as number) + output;
    const price = slot === this.other ? this.prices.priceOf(model) : slot.price;
    if (price === undefined) return 0;
    const cost = costOf(price, input, output);
    const key = slot.index * OUTCOMES.length + outcomeIndex;
    this.cost[key] = (this.cost[key] as number) + cost;
    this.budget?.add(now, cost);
    return cost;
  }

  /** Visits the lifetime spend of every model and outcome that has any. */
  forEachCost(visit: (slot: ModelSlot, outcomeIndex: number, cost: number) => void): void {
    for (const slot of this.slots) {
      for (let outcome = 0; outcome < OUTCOMES.length; outcome++) {
        const cost = this.cost[slot.index * OUTCOMES.length + outcome] as number;
        if (cost > 0) visit(slot, outcome, cost);
      }
    }
  }

  private newSlot(name: string | undefined, price: Price | undefined, fromResponse: boolean): ModelSlot {
    const slot: ModelSlot = Object.freeze({ index: this.slots.length, name, fromResponse, price });
    this.slots.push(slot);
    this.inputTokens.push(0);
    this.outputTokens.push(0);
    for (let i = 0; i < OUTCOMES.length; i++) this.cost.push(0);
    return slot;
  }
}
