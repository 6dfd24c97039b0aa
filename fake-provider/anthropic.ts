import { DEFAULT_TEXT, deltas, fakeId, jsonReply, type Reply, sseEvent, sseReply } from './reply.js';
import { type AnswerInput, modelOf } from './request-body.js';

/**
 * `POST /v1/messages`, JSON or SSE with the documented sequence: message_start,
 * content_block_start, ping, content_block_delta…, content_block_stop, message_delta, message_stop.
 */
export function anthropicMessage(input: AnswerInput): Reply {
  const text = input.text ?? DEFAULT_TEXT;
  const headers = { 'request-id': fakeId('req_'), ...input.headers };
  const outputTokens = deltas(text).length;
  const message = {
    id: fakeId('msg_'),
    type: 'message',
    role: 'assistant',
    model: modelOf(input.body, 'claude-sonnet-5-5'),
    stop_sequence: null,
  };
  if (!input.stream) {
    return jsonReply(
      200,
      {
        ...message,
        content: [{ type: 'text', text }],
        stop_reason: 'end_turn',
        usage: { input_tokens: 10, output_tokens: outputTokens },
      },
      headers,
    );
  }
  const event = (type: string, data: Record<string, unknown> = {}) => sseEvent({ type, ...data }, type);
  const chunks = [
    event('message_start', {
      message: { ...message, content: [], stop_reason: null, usage: { input_tokens: 10, output_tokens: 1 } },
    }),
    event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    event('ping'),
    ...deltas(text).map((piece) =>
      event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: piece } }),
    ),
    event('content_block_stop', { index: 0 }),
    event('message_delta', {
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: outputTokens },
    }),
    event('message_stop'),
  ];
  return sseReply(chunks, headers);
}

/** `GET /v1/models`. */
export function anthropicModels(): Reply {
  const data = [
    { id: 'claude-sonnet-5-5', display_name: 'Claude Sonnet 5.5' },
    { id: 'claude-haiku-5-5', display_name: 'Claude Haiku 5.5' },
  ].map((m) => ({ type: 'model', ...m, created_at: '2025-10-01T00:00:00Z' }));
  return jsonReply(
    200,
    { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null },
    { 'request-id': fakeId('req_') },
  );
}
