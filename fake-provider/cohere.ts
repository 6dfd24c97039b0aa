import { DEFAULT_TEXT, deltas, fakeId, jsonReply, type Reply } from './reply.js';
import type { AnswerInput } from './request-body.js';

/** Cohere's v2 `POST /v2/chat`, JSON (the answer `CohereClientV2.chat` parses). */
export function cohereChat(input: AnswerInput): Reply {
  const text = input.text ?? DEFAULT_TEXT;
  const outputTokens = deltas(text).length;
  return jsonReply(
    200,
    {
      id: fakeId('chat_'),
      finish_reason: 'COMPLETE',
      message: { role: 'assistant', content: [{ type: 'text', text }] },
      usage: {
        billed_units: { input_tokens: 10, output_tokens: outputTokens },
        tokens: { input_tokens: 10, output_tokens: outputTokens },
      },
    },
    { 'x-request-id': fakeId('req_'), ...input.headers },
  );
}
