import { anthropicMessage } from './anthropic.js';
import { DEFAULT_TEXT, deltas, jsonReply, type Reply } from './reply.js';
import type { AnswerInput } from './request-body.js';

/** `POST /model/{modelId}/converse`: the Converse API's JSON answer. */
export function bedrockConverse(input: AnswerInput): Reply {
  const text = input.text ?? DEFAULT_TEXT;
  const outputTokens = deltas(text).length;
  return jsonReply(
    200,
    {
      output: { message: { role: 'assistant', content: [{ text }] } },
      stopReason: 'end_turn',
      usage: { inputTokens: 10, outputTokens, totalTokens: 10 + outputTokens },
      metrics: { latencyMs: 1 },
    },
    { 'x-amzn-requestid': crypto.randomUUID(), ...input.headers },
  );
}

/** `POST /model/{modelId}/invoke`: the model's own answer; Anthropic's Messages shape, as Claude on Bedrock. */
export function bedrockInvoke(input: AnswerInput, model: string): Reply {
  const message = anthropicMessage({ ...input, stream: false, body: { model } });
  return { ...message, headers: { 'x-amzn-requestid': crypto.randomUUID(), ...message.headers } };
}
