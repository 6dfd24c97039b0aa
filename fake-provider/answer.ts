import { anthropicMessage, anthropicModels } from './anthropic.js';
import { bedrockConverse, bedrockInvoke } from './bedrock.js';
import { cohereChat } from './cohere.js';
import { errorReply } from './errors.js';
import type { FalQueue } from './fal.js';
import { geminiGenerateContent, geminiStreamGenerateContent } from './google.js';
import { chatCompletion, openaiModels } from './openai.js';
import { responsesAnswer } from './openai-responses.js';
import { replicateCreate, replicateGet } from './replicate.js';
import type { Reply } from './reply.js';
import type { AnswerInput } from './request-body.js';
import type { ResolvedRoute } from './routes.js';

/** The normal (successful) answer for a route, or the provider's 404 for an unknown one. */
export function answerFor(route: ResolvedRoute, input: AnswerInput, fal: FalQueue): Reply {
  switch (route.route) {
    case 'openai.chat':
      return chatCompletion(input);
    case 'openai.responses':
      return responsesAnswer(input);
    case 'openai.models':
      return openaiModels();
    case 'anthropic.messages':
      return anthropicMessage(input);
    case 'anthropic.models':
      return anthropicModels();
    case 'cohere.chat':
      return cohereChat(input);
    case 'google.generateContent':
      return geminiGenerateContent(input, route.model ?? 'gemini');
    case 'google.streamGenerateContent':
      return geminiStreamGenerateContent(input, route.model ?? 'gemini');
    case 'replicate.create':
      return replicateCreate(input);
    case 'replicate.get':
      return replicateGet(input, route.path);
    case 'bedrock.converse':
      return bedrockConverse(input);
    case 'bedrock.invoke':
      return bedrockInvoke(input, route.model ?? 'anthropic.claude');
    case 'vertex.generateContent': // gRPC only: grpc.ts answers it.
    case 'not_found':
      return notFound(route);
    default:
      return fal.answer(route, input);
  }
}

function notFound(route: ResolvedRoute): Reply {
  const message = `Unknown request URL: ${route.path}`;
  if (route.provider !== 'openai') return errorReply(route.provider, { status: 404, message });
  // OpenAI answers unknown URLs with code `unknown_url`, not the default 404 `model_not_found`.
  const body = { error: { message, type: 'invalid_request_error', param: null, code: 'unknown_url' } };
  return errorReply('openai', { status: 404, body });
}
