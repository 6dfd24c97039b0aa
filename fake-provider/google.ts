import { DEFAULT_TEXT, deltas, jsonReply, type Reply } from './reply.js';
import type { AnswerInput } from './request-body.js';

/** Gemini's `POST /v1beta/models/{model}:generateContent`, JSON. */
export function geminiGenerateContent(input: AnswerInput, model: string): Reply {
  const text = input.text ?? DEFAULT_TEXT;
  const outputTokens = deltas(text).length;
  return jsonReply(
    200,
    {
      candidates: [{ content: { parts: [{ text }], role: 'model' }, finishReason: 'STOP', index: 0 }],
      usageMetadata: {
        promptTokenCount: 10,
        candidatesTokenCount: outputTokens,
        totalTokenCount: 10 + outputTokens,
      },
      modelVersion: model,
    },
    input.headers,
  );
}
