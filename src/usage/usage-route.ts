import type { UsageFormat, UsageOperation } from './usage-format.js';

/**
 * Which requests of a provider report token usage, decided from the request line alone when the
 * request is admitted: any other request never has a byte of its body read (docs/design.md,
 * "Token usage and cost"). Routes are shared constants: deciding allocates nothing.
 */
export interface UsageRoute {
  readonly format: UsageFormat;
  readonly operation: UsageOperation;
  /** The model is named in the path (Gemini, Vertex AI, Bedrock), read from it when the body does not say. */
  readonly modelInPath: boolean;
}

function route(format: UsageFormat, operation: UsageOperation, modelInPath = false): UsageRoute {
  return Object.freeze({ format, operation, modelInPath });
}

const OPENAI_CHAT = route('openai', 'chat');
const OPENAI_COMPLETION = route('openai', 'text_completion');
const OPENAI_EMBEDDINGS = route('openai', 'embeddings');
const ANTHROPIC_MESSAGES = route('anthropic', 'chat');
const GEMINI_GENERATE = route('gemini', 'generate_content', true);
const BEDROCK_CONVERSE = route('bedrock', 'chat', true);

/**
 * The route of `method path` for a provider whose responses are in `format`, or undefined when
 * such a request reports no usage. `path` is the request target as sent (query included).
 */
export function usageRouteOf(
  format: UsageFormat | undefined,
  method: string | undefined,
  path: string | undefined,
): UsageRoute | undefined {
  if (format === undefined || path === undefined || method !== 'POST') return undefined;
  const query = path.indexOf('?');
  const end = query < 0 ? path.length : query;
  switch (format) {
    case 'openai':
      // Azure OpenAI: /openai/deployments/<name>/chat/completions?api-version=…; Groq: /openai/v1/…
      if (endsWith(path, end, '/chat/completions')) return OPENAI_CHAT;
      if (endsWith(path, end, '/responses')) return OPENAI_CHAT;
      if (endsWith(path, end, '/completions')) return OPENAI_COMPLETION;
      if (endsWith(path, end, '/embeddings')) return OPENAI_EMBEDDINGS;
      return undefined;
    case 'anthropic':
      return endsWith(path, end, '/v1/messages') ? ANTHROPIC_MESSAGES : undefined;
    case 'gemini':
      return endsWith(path, end, ':generateContent') || endsWith(path, end, ':streamGenerateContent')
        ? GEMINI_GENERATE
        : undefined;
    case 'bedrock':
      return endsWith(path, end, '/converse') || endsWith(path, end, '/converse-stream')
        ? BEDROCK_CONVERSE
        : undefined;
  }
}

function endsWith(path: string, end: number, suffix: string): boolean {
  return end >= suffix.length && path.startsWith(suffix, end - suffix.length);
}

const MAX_MODEL_LENGTH = 128;
const MODEL_NAME = /^[\w.:@/+-]+$/;

/**
 * The model a path names: Gemini's and Vertex AI's `…/models/<model>:generateContent`, Bedrock's
 * `/model/<id>/converse` (the id URL-encoded when it is an ARN). Undefined when there is none.
 */
export function modelFromPath(path: string): string | undefined {
  const query = path.indexOf('?');
  const clean = query < 0 ? path : path.slice(0, query);
  let raw: string | undefined;
  const models = clean.lastIndexOf('/models/');
  if (models >= 0) {
    const start = models + '/models/'.length;
    const colon = clean.indexOf(':', start);
    raw = clean.slice(start, colon < 0 ? clean.length : colon);
  } else if (clean.startsWith('/model/')) {
    const start = '/model/'.length;
    const slash = clean.indexOf('/', start);
    raw = clean.slice(start, slash < 0 ? clean.length : slash);
  }
  if (raw === undefined || raw === '') return undefined;
  let model: string;
  try {
    model = decodeURIComponent(raw);
  } catch {
    return undefined;
  }
  return model.length <= MAX_MODEL_LENGTH && MODEL_NAME.test(model) ? model : undefined;
}
