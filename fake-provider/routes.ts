import type { IncomingHttpHeaders } from 'node:http';
import type { Flavor, ProviderName, RouteName, Transport } from './types.js';

export interface ResolvedRoute {
  readonly provider: ProviderName;
  readonly route: RouteName;
  /** Path and query the request is served as (fal proxy: taken from `x-fal-target-url`). */
  readonly path: string;
  /** fal: app id with any subpath (`fal-ai/flux/dev`), for run and submit. */
  readonly falApp?: string;
  /** fal: the request id of a status, result or cancel call. */
  readonly falRequestId?: string;
  /** The model named in the path (Gemini, Bedrock), decoded. */
  readonly model?: string;
}

const FAL_TARGET_HEADER = 'x-fal-target-url';
// fal ids under these namespaces have three segments before any subpath (see @fal-ai/client utils).
const FAL_NAMESPACES = new Set(['workflows', 'comfy']);

function openaiRoute(method: string, rawPathname: string): RouteName | undefined {
  // Groq serves the OpenAI API under /openai/v1.
  const pathname = rawPathname.startsWith('/openai/v1/') ? rawPathname.slice('/openai'.length) : rawPathname;
  if (method === 'POST' && pathname === '/v1/chat/completions') return 'openai.chat';
  if (method === 'POST' && pathname === '/v1/responses') return 'openai.responses';
  if (method === 'GET' && pathname === '/v1/models') return 'openai.models';
  return undefined;
}

function anthropicRoute(method: string, pathname: string): RouteName | undefined {
  if (method === 'POST' && pathname === '/v1/messages') return 'anthropic.messages';
  if (method === 'GET' && pathname === '/v1/models') return 'anthropic.models';
  return undefined;
}

/** The queue's base app id: status and result URLs drop the subpath (`fal-ai/flux/dev` → `fal-ai/flux`). */
export function falAppBase(app: string): string {
  const parts = app.split('/');
  return parts.slice(0, FAL_NAMESPACES.has(parts[0] ?? '') ? 3 : 2).join('/');
}

/**
 * fal has two hosts with the same paths: fal.run (synchronous) and queue.fal.run. Locally the
 * queue is told apart by the `/queue` path prefix, or by the host of `x-fal-target-url`, the
 * header @fal-ai/client's `proxyUrl` option sends.
 */
function falRoute(method: string, rawPath: string, headers: IncomingHttpHeaders): ResolvedRoute {
  let path = rawPath;
  let queue = false;
  const target = headers[FAL_TARGET_HEADER];
  if (typeof target === 'string') {
    try {
      const url = new URL(target);
      path = `${url.pathname}${url.search}`;
      queue = url.hostname.startsWith('queue.');
    } catch {
      // Not a URL: serve the request by its own path.
    }
  } else if (path.startsWith('/queue/')) {
    path = path.slice('/queue'.length);
    queue = true;
  }
  const pathname = (path.split('?')[0] ?? '').replace(/\/+$/, '');
  const notFound: ResolvedRoute = { provider: 'fal', route: 'not_found', path };
  const op = /^\/(.+)\/requests\/([^/]+)(\/status|\/cancel)?$/.exec(pathname);
  if (op) {
    const falRequestId = op[2] ?? '';
    const route: RouteName | undefined =
      op[3] === '/status' && method === 'GET'
        ? 'fal.status'
        : op[3] === '/cancel' && method === 'PUT'
          ? 'fal.cancel'
          : op[3] === undefined && method === 'GET'
            ? 'fal.result'
            : undefined;
    return route ? { provider: 'fal', route, path, falApp: op[1] ?? '', falRequestId } : notFound;
  }
  if (method === 'POST' && pathname.length > 1) {
    return { provider: 'fal', route: queue ? 'fal.submit' : 'fal.run', path, falApp: pathname.slice(1) };
  }
  return notFound;
}

const VERTEX_GENERATE_CONTENT = '/google.cloud.aiplatform.v1.PredictionService/GenerateContent';

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Gemini's REST API (`/v1beta/models/{model}:generateContent`) and Vertex AI's gRPC method. */
function googleRoute(method: string, pathname: string, path: string, transport: Transport): ResolvedRoute {
  if (transport === 'grpc') {
    const route = pathname === VERTEX_GENERATE_CONTENT ? 'vertex.generateContent' : 'not_found';
    return { provider: 'google', route, path };
  }
  const match = /^\/v1(?:beta)?\/models\/([^/:]+):(generateContent|streamGenerateContent)$/.exec(pathname);
  if (method === 'POST' && match)
    return {
      provider: 'google',
      route: match[2] === 'generateContent' ? 'google.generateContent' : 'google.streamGenerateContent',
      path,
      model: decoded(match[1] ?? ''),
    };
  return { provider: 'google', route: 'not_found', path };
}

/** Bedrock Runtime: `POST /model/{modelId}/converse` and `/invoke` (the id may be URL-encoded). */
function bedrockRoute(method: string, pathname: string, path: string): ResolvedRoute {
  const match = /^\/model\/([^/]+)\/(converse|invoke)$/.exec(pathname);
  if (method !== 'POST' || !match) return { provider: 'bedrock', route: 'not_found', path };
  const route = match[2] === 'converse' ? 'bedrock.converse' : 'bedrock.invoke';
  return { provider: 'bedrock', route, path, model: decoded(match[1] ?? '') };
}

function replicateRoute(method: string, pathname: string): RouteName {
  if (method === 'POST' && /^\/v1\/(?:(?:models|deployments)\/[^/]+\/[^/]+\/)?predictions$/.test(pathname))
    return 'replicate.create';
  if (method === 'GET' && /^\/v1\/predictions\/[^/]+$/.test(pathname)) return 'replicate.get';
  return 'not_found';
}

/** Which provider and operation a request is; unknown paths are `not_found` in the flavor's shape. */
export function resolveRoute(
  flavor: Flavor,
  method: string,
  rawPath: string,
  headers: IncomingHttpHeaders,
  transport: Transport = 'http1',
): ResolvedRoute {
  const pathname = rawPath.split('?')[0] ?? '';
  // gRPC methods exist only in the google flavor (Vertex AI); elsewhere a gRPC call is unimplemented.
  if (flavor === 'google') return googleRoute(method, pathname, rawPath, transport);
  if (transport === 'grpc')
    return { provider: flavor === 'multi' ? 'openai' : flavor, route: 'not_found', path: rawPath };
  if (flavor === 'bedrock') return bedrockRoute(method, pathname, rawPath);
  if (flavor === 'cohere') {
    const route = method === 'POST' && pathname === '/v2/chat' ? 'cohere.chat' : 'not_found';
    return { provider: 'cohere', route, path: rawPath };
  }
  if (flavor === 'replicate')
    return { provider: 'replicate', route: replicateRoute(method, pathname), path: rawPath };
  if (flavor === 'fal') return falRoute(method, rawPath, headers);
  if (flavor === 'openai') {
    return { provider: 'openai', route: openaiRoute(method, pathname) ?? 'not_found', path: rawPath };
  }
  if (flavor === 'anthropic') {
    return { provider: 'anthropic', route: anthropicRoute(method, pathname) ?? 'not_found', path: rawPath };
  }
  // multi: `GET /v1/models` exists for both; Anthropic's SDK always sends `anthropic-version`.
  const anthropicFirst = headers['anthropic-version'] !== undefined;
  const order = anthropicFirst ? (['anthropic', 'openai'] as const) : (['openai', 'anthropic'] as const);
  for (const provider of order) {
    const route = provider === 'openai' ? openaiRoute(method, pathname) : anthropicRoute(method, pathname);
    if (route) return { provider, route, path: rawPath };
  }
  if (pathname.startsWith('/v1/')) return { provider: 'openai', route: 'not_found', path: rawPath };
  return falRoute(method, rawPath, headers);
}
