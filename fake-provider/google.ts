import { DEFAULT_TEXT, deltas, jsonReply, type Reply, sseReply } from './reply.js';
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

/**
 * Gemini's `POST /v1beta/models/{model}:streamGenerateContent?alt=sse`: one chunk per word, each
 * with the running `usageMetadata` (the last one final), events ending in CRLF as Google sends them.
 */
export function geminiStreamGenerateContent(input: AnswerInput, model: string): Reply {
  const words = deltas(input.text ?? DEFAULT_TEXT);
  const chunks = words.map((text, i) => {
    const last = i === words.length - 1;
    const chunk = {
      candidates: [
        {
          content: { parts: [{ text }], role: 'model' },
          index: 0,
          ...(last ? { finishReason: 'STOP' } : {}),
        },
      ],
      usageMetadata: { promptTokenCount: 10, candidatesTokenCount: i + 1, totalTokenCount: 10 + i + 1 },
      modelVersion: model,
    };
    return `data: ${JSON.stringify(chunk)}\r\n\r\n`;
  });
  return sseReply(chunks, input.headers);
}
