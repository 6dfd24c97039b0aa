/**
 * Where a provider's responses report token usage (docs/design.md, "Token usage and cost"): the
 * wire format decides which requests carry usage and under which keys it sits.
 *
 * - `openai`: Chat Completions and Completions `usage` (`prompt_tokens`, `completion_tokens`; in
 *   a stream, the final chunk of `stream_options.include_usage`), the Responses API `usage`
 *   (`input_tokens`, `output_tokens`; in a stream, `response.completed`), Embeddings. The
 *   OpenAI-compatible APIs (Azure OpenAI, Groq, Mistral, Together, DeepSeek, …) answer the same way.
 * - `anthropic`: Messages `usage`; in a stream, `message_start` (input) and `message_delta` (output).
 * - `gemini`: `usageMetadata` of generateContent and of every streamed chunk (Gemini, Vertex AI REST).
 * - `bedrock`: Converse `usage` (JSON), and the `metadata` event of ConverseStream.
 */
export const USAGE_FORMATS = ['openai', 'anthropic', 'gemini', 'bedrock'] as const;
export type UsageFormat = (typeof USAGE_FORMATS)[number];

export function isUsageFormat(value: unknown): value is UsageFormat {
  return typeof value === 'string' && (USAGE_FORMATS as readonly string[]).includes(value);
}

/** `gen_ai.operation.name` values (OpenTelemetry GenAI semantic conventions) of the requests read. */
export type UsageOperation = 'chat' | 'text_completion' | 'embeddings' | 'generate_content';
