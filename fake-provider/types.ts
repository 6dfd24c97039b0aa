import type { IncomingHttpHeaders } from 'node:http';

/** Which provider's wire format the server speaks. `multi` routes by path (see README). */
export type Flavor = ProviderName | 'multi';

/**
 * The provider whose formats (answers and error shapes) a request is served in. OpenAI's
 * format also serves the OpenAI-compatible APIs (Groq, Together, Mistral); `google` is Gemini's
 * REST API and Vertex AI's gRPC PredictionService.
 */
export type ProviderName = 'openai' | 'anthropic' | 'fal' | 'cohere' | 'google' | 'replicate' | 'bedrock';

/** How a request reached the fake: HTTP/1.1, HTTP/2 (h2c), or gRPC (HTTP/2, `application/grpc`). */
export type Transport = 'http1' | 'http2' | 'grpc';

/** What a request was recognised as. `not_found` is answered with a 404 in the provider's shape. */
export type RouteName =
  | 'openai.chat'
  | 'openai.responses'
  | 'openai.models'
  | 'anthropic.messages'
  | 'anthropic.models'
  | 'fal.run'
  | 'fal.submit'
  | 'fal.status'
  | 'fal.result'
  | 'fal.cancel'
  | 'cohere.chat'
  | 'google.generateContent'
  | 'google.streamGenerateContent'
  | 'vertex.generateContent'
  | 'replicate.create'
  | 'replicate.get'
  | 'bedrock.converse'
  | 'bedrock.invoke'
  | 'not_found';

/** Extra response headers, e.g. `{ 'retry-after': '2', 'x-should-retry': 'false' }`. */
export type ExtraHeaders = Readonly<Record<string, string>>;

/** A normal answer in the provider's format (JSON, or SSE when the request asked to stream). */
export interface OkBehaviour {
  readonly kind: 'ok';
  /** Assistant text; each word becomes one stream chunk. @default 'Hello from the fake provider.' */
  readonly text?: string;
  readonly headers?: ExtraHeaders;
}

/**
 * An HTTP error. `kind` may be omitted: `{ status: 529 }` is an error behaviour.
 * The body defaults to the provider's own error shape for that status.
 */
export interface ErrorBehaviour {
  readonly kind?: 'error';
  readonly status: number;
  /** Provider error type: OpenAI `type`+`code`, Anthropic `error.type`, fal `error_type` + `X-Fal-Error-Type`. */
  readonly type?: string;
  readonly message?: string;
  readonly headers?: ExtraHeaders;
  /** Replaces the whole body: a string is sent as is (text/plain), anything else as JSON. */
  readonly body?: unknown;
  /**
   * gRPC requests: the `grpc-status` of the trailers-only answer (`status` stays the HTTP view of
   * the same failure). @default from `status`: 503 -> 14 UNAVAILABLE, 429 -> 8, 500 -> 13, 504 -> 4 …
   */
  readonly grpcStatus?: number;
}

/** Waits `ms` before sending any header, then behaves as `andThen` (default ok). */
export interface DelayBehaviour {
  readonly kind: 'delay';
  readonly ms: number;
  readonly andThen?: Behaviour;
}

/** Headers at once, then the body one chunk at a time (SSE events, or JSON in 4 pieces). */
export interface SlowStreamBehaviour {
  readonly kind: 'slow-stream';
  readonly chunkDelayMs: number;
  readonly text?: string;
}

/** TCP reset (RST) after the request body was read, before any response byte. */
export interface ResetBehaviour {
  readonly kind: 'reset';
}

/** Status 200 and headers, `afterChunks` chunks of the body, then a TCP reset. */
export interface ResetMidBodyBehaviour {
  readonly kind: 'reset-mid-body';
  /** @default 2 */
  readonly afterChunks?: number;
}

/**
 * Status 200, `afterChunks` SSE chunks, then the provider's in-stream error event
 * (Anthropic `event: error`, OpenAI `data: {"error":…}`) and a clean end of stream.
 * On a request that does not stream this is the plain `error` behaviour.
 */
export interface StreamErrorBehaviour {
  readonly kind: 'stream-error';
  /** @default 1 */
  readonly afterChunks?: number;
  /** Picks the default error type and message. @default 529 for Anthropic, 500 otherwise */
  readonly status?: number;
  readonly type?: string;
  readonly message?: string;
}

/** Never answers (or stops after the headers) until the client gives up or the server closes. */
export interface HangBehaviour {
  readonly kind: 'hang';
  /** Send status 200 and headers first, then nothing. @default false */
  readonly afterHeaders?: boolean;
}

export type Behaviour =
  | OkBehaviour
  | ErrorBehaviour
  | DelayBehaviour
  | SlowStreamBehaviour
  | ResetBehaviour
  | ResetMidBodyBehaviour
  | StreamErrorBehaviour
  | HangBehaviour;

/** What a behaviour function is given; also what the request log records (without `body`). */
export interface FakeRequest {
  readonly method: string;
  /** Path and query as received (for fal through `proxyUrl`: the path of `x-fal-target-url`). */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** `Date.now()` when the request arrived. */
  readonly time: number;
  readonly provider: ProviderName;
  readonly route: RouteName;
  /** The request asked for a streamed answer (`stream: true`). */
  readonly stream: boolean;
  readonly transport: Transport;
}

/** A request as given to a behaviour function: with its parsed JSON body (undefined if none). */
export interface FakeRequestWithBody extends FakeRequest {
  readonly body: unknown;
}

/** Decides per request; returning undefined means "the default behaviour". */
export type BehaviourFunction = (req: FakeRequestWithBody) => Behaviour | undefined;

export type BehaviourSpec = Behaviour | BehaviourFunction;

/** A logged request and the behaviour it was answered with. */
export interface RecordedRequest extends FakeRequest {
  readonly behaviour: NonNullable<Behaviour['kind']>;
}
