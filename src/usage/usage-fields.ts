import { keyNeedle } from './json-scan.js';
import type { UsageFormat } from './usage-format.js';

/**
 * The counters the usage objects of one response reported, by name (input, cached input, output,
 * reasoning, …). Streams report cumulative totals and may repeat a counter or leave one out
 * (Anthropic's `message_delta` gives `output_tokens`, and its input counters only when they apply):
 * a counter reported again replaces its earlier value and is never added to it, the way the
 * providers' own SDKs keep them, and a counter left out keeps its value.
 */
export class UsageCounts {
  private readonly values: Array<number | undefined>;

  constructor(private readonly fields: UsageFields) {
    this.values = new Array<number | undefined>(fields.input.length + fields.output.length).fill(undefined);
  }

  /** Takes the counters `usage` reports; false when it reports none. */
  take(usage: Record<string, unknown>): boolean {
    const { input, output } = this.fields;
    let found = false;
    for (let i = 0; i < input.length; i++) found = this.set(i, usage, input[i] as Counter) || found;
    for (let i = 0; i < output.length; i++)
      found = this.set(input.length + i, usage, output[i] as Counter) || found;
    return found;
  }

  /** Billable input tokens: the input counters summed (cached input is input). */
  get input(): number {
    return this.sum(0, this.fields.input.length);
  }

  /** Billable output tokens: the output counters summed (reasoning is output). */
  get output(): number {
    return this.sum(this.fields.input.length, this.values.length);
  }

  private set(index: number, usage: Record<string, unknown>, counter: Counter): boolean {
    for (const key of counter) {
      const value = count(usage, key);
      if (value !== undefined) {
        this.values[index] = value;
        return true;
      }
    }
    return false;
  }

  private sum(from: number, to: number): number {
    let total = 0;
    for (let i = from; i < to; i++) total += this.values[i] ?? 0;
    return total;
  }
}

/** One counter: the keys it goes by, first found wins (OpenAI's Chat `prompt_tokens`, Responses `input_tokens`). */
type Counter = readonly string[];

/** Where a format keeps its usage and its model name, and which counters its usage object holds. */
export interface UsageFields {
  readonly usageKey: Buffer;
  /** The response's own model name; undefined where only the path names it (Bedrock). */
  readonly modelKey: Buffer | undefined;
  /** Counters summed into input tokens. */
  readonly input: readonly Counter[];
  /** Counters summed into output tokens. */
  readonly output: readonly Counter[];
}

const MAX_TOKENS = 1e12;

function count(object: Record<string, unknown>, key: string): number | undefined {
  const value = object[key];
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_TOKENS
    ? Math.floor(value)
    : undefined;
}

// Billable tokens, as the semantic conventions ask: cached input is input (OpenAI's prompt_tokens
// already includes it; Anthropic and Bedrock report it beside input_tokens), reasoning and
// thinking tokens are output (OpenAI's completion_tokens includes them; Gemini reports them apart).
const FIELDS: Readonly<Record<UsageFormat, UsageFields>> = {
  openai: {
    usageKey: keyNeedle('usage'),
    modelKey: keyNeedle('model'),
    input: [['prompt_tokens', 'input_tokens']],
    output: [['completion_tokens', 'output_tokens']],
  },
  anthropic: {
    usageKey: keyNeedle('usage'),
    modelKey: keyNeedle('model'),
    input: [['input_tokens'], ['cache_creation_input_tokens'], ['cache_read_input_tokens']],
    output: [['output_tokens']],
  },
  gemini: {
    usageKey: keyNeedle('usageMetadata'),
    modelKey: keyNeedle('modelVersion'),
    input: [['promptTokenCount']],
    output: [['candidatesTokenCount'], ['thoughtsTokenCount']],
  },
  bedrock: {
    usageKey: keyNeedle('usage'),
    modelKey: undefined,
    input: [['inputTokens'], ['cacheReadInputTokens'], ['cacheWriteInputTokens']],
    output: [['outputTokens']],
  },
};

export function fieldsOf(format: UsageFormat): UsageFields {
  return FIELDS[format];
}
