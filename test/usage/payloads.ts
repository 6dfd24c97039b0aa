/**
 * Response bodies as each provider sends them, for the usage reader's tests: field order, spacing
 * and line endings as the providers' own API references show them (Gemini's stream ends its
 * events with CRLF and spaces its JSON; the others send compact JSON).
 */
export const openaiChatJson = (content = 'Hello there.') =>
  JSON.stringify({
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content, refusal: null },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: {
      prompt_tokens: 12,
      completion_tokens: 34,
      total_tokens: 46,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0 },
    },
    service_tier: 'default',
    system_fingerprint: 'fp_1',
  });

const chatChunk = (extra: Record<string, unknown>) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-2', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini-2024-07-18', system_fingerprint: 'fp_1', ...extra })}\n\n`;

export const openaiChatSse = (words = ['Hello', ' there', '.']) =>
  [
    chatChunk({ choices: [{ index: 0, delta: { role: 'assistant', content: '' } }], usage: null }),
    ...words.map((content) => chatChunk({ choices: [{ index: 0, delta: { content } }], usage: null })),
    chatChunk({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: null }),
    chatChunk({ choices: [], usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 } }),
    'data: [DONE]\n\n',
  ].join('');

const responseObject = (status: string, text: string, usage: unknown) => ({
  id: 'resp_1',
  object: 'response',
  created_at: 1,
  status,
  error: null,
  model: 'gpt-4o-2024-08-06',
  output:
    text === ''
      ? []
      : [
          {
            type: 'message',
            id: 'msg_1',
            role: 'assistant',
            content: [{ type: 'output_text', text, annotations: [] }],
          },
        ],
  parallel_tool_calls: true,
  tools: [
    {
      type: 'function',
      name: 'f',
      parameters: { type: 'object', properties: { usage: { type: 'string' } } },
    },
  ],
  usage,
});

export const openaiResponsesSse = (text: string) => {
  const event = (type: string, data: Record<string, unknown>) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  return [
    event('response.created', { sequence_number: 0, response: responseObject('in_progress', '', null) }),
    event('response.output_text.delta', { sequence_number: 1, delta: text.slice(0, 10) }),
    event('response.completed', {
      sequence_number: 2,
      response: responseObject('completed', text, {
        input_tokens: 9,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: 50,
        output_tokens_details: { reasoning_tokens: 20 },
        total_tokens: 59,
      }),
    }),
  ].join('');
};

export const openaiResponsesJson = (text: string) =>
  JSON.stringify(responseObject('completed', text, { input_tokens: 9, output_tokens: 50, total_tokens: 59 }));

export const anthropicJson = (text = 'Hi.') =>
  JSON.stringify({
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-4-5-20250929',
    content: [{ type: 'text', text }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: {
      input_tokens: 25,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 5,
      output_tokens: 15,
    },
  });

export const anthropicSse = (words = ['Hi', '.']) => {
  const event = (type: string, data: Record<string, unknown> = {}) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  return [
    event('message_start', {
      message: {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-5-20250929',
        content: [],
        stop_reason: null,
        usage: {
          input_tokens: 25,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 5,
          output_tokens: 1,
        },
      },
    }),
    event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    event('ping'),
    ...words.map((text) => event('content_block_delta', { index: 0, delta: { type: 'text_delta', text } })),
    event('content_block_stop', { index: 0 }),
    event('message_delta', {
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: 15 },
    }),
    event('message_stop'),
  ].join('');
};

const geminiChunk = (text: string, usage: Record<string, number>) =>
  `data: ${JSON.stringify(
    {
      candidates: [{ content: { parts: [{ text }], role: 'model' }, index: 0 }],
      usageMetadata: usage,
      modelVersion: 'gemini-2.0-flash',
      responseId: 'r1',
    },
    null,
    1,
  ).replace(/\n\s*/g, ' ')}\r\n\r\n`;

export const geminiSse = () =>
  [
    geminiChunk('Hel', { promptTokenCount: 8, totalTokenCount: 8 }),
    geminiChunk('lo', { promptTokenCount: 8, candidatesTokenCount: 2, totalTokenCount: 10 }),
    geminiChunk('', {
      promptTokenCount: 8,
      candidatesTokenCount: 3,
      thoughtsTokenCount: 4,
      totalTokenCount: 15,
    }),
  ].join('');

export const geminiJson = (text = 'Hello') =>
  JSON.stringify(
    {
      candidates: [{ content: { parts: [{ text }], role: 'model' }, finishReason: 'STOP', index: 0 }],
      usageMetadata: { promptTokenCount: 8, candidatesTokenCount: 3, totalTokenCount: 11 },
      modelVersion: 'gemini-2.0-flash-001',
    },
    null,
    2,
  );

export const bedrockConverseJson = (text = 'Hello') =>
  JSON.stringify({
    output: { message: { role: 'assistant', content: [{ text }] } },
    stopReason: 'end_turn',
    usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15, cacheReadInputTokens: 2 },
    metrics: { latencyMs: 120 },
  });
