import {
  DEFAULT_TEXT,
  deltas,
  fakeId,
  jsonReply,
  nowSeconds,
  type Reply,
  sseEvent,
  sseReply,
} from './reply.js';
import { type AnswerInput, modelOf } from './request-body.js';

/** `POST /v1/responses`: a one-message answer, or the streamed event sequence the SDK accumulates. */
export function responsesAnswer(input: AnswerInput): Reply {
  const text = input.text ?? DEFAULT_TEXT;
  const headers = { 'x-request-id': fakeId('req_'), ...input.headers };
  const messageId = fakeId('msg_');
  const part = { type: 'output_text', text, annotations: [] };
  const message = { type: 'message', id: messageId, status: 'completed', role: 'assistant', content: [part] };
  const outputTokens = deltas(text).length;
  const response = (status: string, output: unknown[]) => ({
    id: fakeId('resp_'),
    object: 'response',
    created_at: nowSeconds(),
    status,
    error: null,
    incomplete_details: null,
    model: modelOf(input.body, 'gpt-4o-mini'),
    output,
    parallel_tool_calls: true,
    tool_choice: 'auto',
    tools: [],
    usage:
      status === 'completed'
        ? {
            input_tokens: 10,
            input_tokens_details: { cached_tokens: 0 },
            output_tokens: outputTokens,
            output_tokens_details: { reasoning_tokens: 0 },
            total_tokens: 10 + outputTokens,
          }
        : null,
  });
  if (!input.stream) return jsonReply(200, response('completed', [message]), headers);

  let sequence = 0;
  const event = (type: string, data: Record<string, unknown>) =>
    sseEvent({ type, sequence_number: sequence++, ...data }, type);
  const where = { item_id: messageId, output_index: 0, content_index: 0 };
  const chunks = [
    event('response.created', { response: response('in_progress', []) }),
    event('response.output_item.added', {
      output_index: 0,
      item: { ...message, status: 'in_progress', content: [] },
    }),
    event('response.content_part.added', { ...where, part: { ...part, text: '' } }),
    ...deltas(text).map((delta) => event('response.output_text.delta', { ...where, delta, logprobs: [] })),
    event('response.output_text.done', { ...where, text, logprobs: [] }),
    event('response.content_part.done', { ...where, part }),
    event('response.output_item.done', { output_index: 0, item: message }),
    event('response.completed', { response: response('completed', [message]) }),
  ];
  return sseReply(chunks, headers);
}
