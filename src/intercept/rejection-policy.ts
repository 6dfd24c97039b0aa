import { requestHeader } from '../common/request-headers.js';
import type { RejectWith } from '../config/options.js';

/**
 * How a rejected request is answered: the local reply, or an error. `rejectWith: 'error'` asks
 * for errors, but through fetch every error becomes `TypeError('fetch failed')`, which these
 * clients retry with backoff (README, "Compatibility"): Stainless SDKs (openai, anthropic, groq,
 * together; also inside LangChain), the AI SDK, LangChain's AsyncCaller, @fal-ai/client and
 * replicate. A request that shows one of them still gets the reply, which none of them retries;
 * any other gets the error it asked for. gRPC always gets the reply: an error from the stream
 * reaches the caller as `13 INTERNAL` without its cause.
 */
export function answerWithError(rejectWith: RejectWith, headers: unknown, grpc: boolean): boolean {
  if (rejectWith !== 'error' || grpc) return false;
  return !retriesConnectionErrors(headers);
}

// The AI SDK's tokens are `ai/<version>` and `ai-sdk/…`, each at the start or after a space:
// unanchored, they also match `cohere-ai/8.1.0` and `google-genai-sdk/2.32.0`, whose clients
// never retry a connection error.
const RETRYING_USER_AGENTS = /(?:^|\s)ai(?:\/\d|-sdk\/)|langchainjs|@fal-ai\/client|replicate-javascript/i;

function retriesConnectionErrors(headers: unknown): boolean {
  if (requestHeader(headers, 'x-stainless-lang') !== undefined) return true;
  const userAgent = requestHeader(headers, 'user-agent');
  return userAgent !== undefined && RETRYING_USER_AGENTS.test(userAgent);
}
