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
import { type AnswerInput, field, modelOf } from './request-body.js';

function usage(text: string): { prompt_tokens: number; completion_tokens: number; total_tokens: number } {
  const completion = deltas(text).length;
  return { prompt_tokens: 10, completion_tokens: completion, total_tokens: 10 + completion };
}

/** `POST /v1/chat/completions`, JSON or SSE (`data: {chunk}` lines ending with `data: [DONE]`). */
export function chatCompletion(input: AnswerInput): Reply {
  const text = input.text ?? DEFAULT_TEXT;
  const model = modelOf(input.body, 'gpt-4o-mini');
  const base = { id: fakeId('chatcmpl-'), created: nowSeconds(), model, system_fingerprint: null };
  const headers = { 'x-request-id': fakeId('req_'), ...input.headers };
  if (!input.stream) {
    return jsonReply(
      200,
      {
        ...base,
        object: 'chat.completion',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: text, refusal: null },
            logprobs: null,
            finish_reason: 'stop',
          },
        ],
        usage: usage(text),
      },
      headers,
    );
  }
  const chunk = (delta: Record<string, unknown>, finish: string | null) =>
    sseEvent({
      ...base,
      object: 'chat.completion.chunk',
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    });
  const chunks = [
    chunk({ role: 'assistant', content: '' }, null),
    ...deltas(text).map((content) => chunk({ content }, null)),
    chunk({}, 'stop'),
  ];
  const options = field(input.body, 'stream_options');
  if (field(options, 'include_usage') === true) {
    chunks.push(sseEvent({ ...base, object: 'chat.completion.chunk', choices: [], usage: usage(text) }));
  }
  chunks.push(sseEvent('[DONE]'));
  return sseReply(chunks, headers);
}

/** `GET /v1/models`. */
export function openaiModels(): Reply {
  const created = 1_700_000_000;
  return jsonReply(
    200,
    {
      object: 'list',
      data: ['gpt-4o-mini', 'gpt-4o', 'text-embedding-3-small'].map((id) => ({
        id,
        object: 'model',
        created,
        owned_by: 'system',
      })),
    },
    { 'x-request-id': fakeId('req_') },
  );
}
