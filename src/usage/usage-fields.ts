import { keyNeedle } from './json-scan.js';
import type { UsageFormat } from './usage-format.js';

/** Tokens one usage object reports; a side it does not mention stays undefined (Anthropic's message_delta). */
export interface UsageCounts {
  input: number | undefined;
  output: number | undefined;
}

/** Where a format keeps its usage and its model name, and how its usage object reads. */
export interface UsageFields {
  readonly usageKey: Buffer;
  /** The response's own model name; undefined where only the path names it (Bedrock). */
  readonly modelKey: Buffer | undefined;
  read(usage: Record<string, unknown>, into: UsageCounts): boolean;
}

const MAX_TOKENS = 1e12;

function count(object: Record<string, unknown>, key: string): number | undefined {
  const value = object[key];
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_TOKENS
    ? Math.floor(value)
    : undefined;
}

/** The sum of the counts present; undefined when none is. */
function sum(...values: Array<number | undefined>): number | undefined {
  let total: number | undefined;
  for (const value of values) if (value !== undefined) total = (total ?? 0) + value;
  return total;
}

function assign(into: UsageCounts, input: number | undefined, output: number | undefined): boolean {
  if (input === undefined && output === undefined) return false;
  if (input !== undefined) into.input = input;
  if (output !== undefined) into.output = output;
  return true;
}

// Billable tokens, as the semantic conventions ask: cached input is input (OpenAI's prompt_tokens
// already includes it; Anthropic and Bedrock report it beside input_tokens), reasoning and
// thinking tokens are output (OpenAI's completion_tokens includes them; Gemini reports them apart).
const FIELDS: Readonly<Record<UsageFormat, UsageFields>> = {
  openai: {
    usageKey: keyNeedle('usage'),
    modelKey: keyNeedle('model'),
    read: (u, into) =>
      assign(
        into,
        count(u, 'prompt_tokens') ?? count(u, 'input_tokens'),
        count(u, 'completion_tokens') ?? count(u, 'output_tokens'),
      ),
  },
  anthropic: {
    usageKey: keyNeedle('usage'),
    modelKey: keyNeedle('model'),
    read: (u, into) =>
      assign(
        into,
        sum(
          count(u, 'input_tokens'),
          count(u, 'cache_creation_input_tokens'),
          count(u, 'cache_read_input_tokens'),
        ),
        count(u, 'output_tokens'),
      ),
  },
  gemini: {
    usageKey: keyNeedle('usageMetadata'),
    modelKey: keyNeedle('modelVersion'),
    read: (u, into) =>
      assign(
        into,
        count(u, 'promptTokenCount'),
        sum(count(u, 'candidatesTokenCount'), count(u, 'thoughtsTokenCount')),
      ),
  },
  bedrock: {
    usageKey: keyNeedle('usage'),
    modelKey: undefined,
    read: (u, into) =>
      assign(
        into,
        sum(count(u, 'inputTokens'), count(u, 'cacheReadInputTokens'), count(u, 'cacheWriteInputTokens')),
        count(u, 'outputTokens'),
      ),
  },
};

export function fieldsOf(format: UsageFormat): UsageFields {
  return FIELDS[format];
}
