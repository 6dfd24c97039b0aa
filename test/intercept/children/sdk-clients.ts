import type { CallOptions, Reply } from './clients.js';
import { env } from './runtime.js';

/**
 * The client libraries of the compatibility matrix (test/clients/), each pointed at the fake
 * of the provider it speaks to. Modules load on a client's first use, so a child loads only
 * the libraries its tests use. `retries` keeps each library's default retries (or turns on its
 * opt-in ones); without it every library makes exactly one attempt per call.
 */
export interface MatrixClient {
  /** The fake this client talks to: its key in the fake set (`FAKE_<KEY>_URL`). */
  readonly fake: string;
  /** The plugin's provider for that fake. */
  readonly provider: string;
  call(options: CallOptions): Promise<Reply>;
}

const KEY = 'test-key';
const MESSAGES = [{ role: 'user' as const, content: 'hi' }];
const url = (fake: string) => env(`FAKE_${fake.toUpperCase()}_URL`);
const h2Url = (fake: string) => env(`FAKE_${fake.toUpperCase()}_H2_URL`);
const ok = (body: unknown): Reply => ({ status: 200, body });

// One instance per client and options, built on first use: a call measures the call, not the
// module's loading or the client's construction.
const built = new Map<string, Promise<unknown>>();
function once<T>(key: string, make: () => Promise<T>): Promise<T> {
  let instance = built.get(key);
  if (instance === undefined) {
    instance = make();
    built.set(key, instance);
  }
  return instance as Promise<T>;
}
const keyOf = (name: string, o: CallOptions) => `${name}:${o.retries}:${o.timeoutMs ?? ''}`;

async function groq(o: CallOptions) {
  const { default: Groq } = await import('groq-sdk');
  return new Groq({ apiKey: KEY, baseURL: url('groq'), maxRetries: o.retries ? 2 : 0, timeout: o.timeoutMs });
}

async function together(o: CallOptions) {
  const { default: Together } = await import('together-ai');
  return new Together({ apiKey: KEY, baseURL: `${url('together')}/v1`, maxRetries: o.retries ? 2 : 0 });
}

async function aiModel(provider: 'openai' | 'anthropic') {
  if (provider === 'openai') {
    const { createOpenAI } = await import('@ai-sdk/openai');
    // The default model API of @ai-sdk/openai 3 is the Responses API (POST /v1/responses).
    return createOpenAI({ apiKey: KEY, baseURL: `${url('openai')}/v1` })('gpt-4o-mini');
  }
  const { createAnthropic } = await import('@ai-sdk/anthropic');
  return createAnthropic({ apiKey: KEY, baseURL: `${url('anthropic')}/v1` })('claude-haiku-4-5');
}

function aiGenerate(provider: 'openai' | 'anthropic'): MatrixClient['call'] {
  return async (o) => {
    const { generateText } = await import('ai');
    const model = await once(`ai-${provider}`, () => aiModel(provider));
    const result = await generateText({
      model,
      prompt: 'hi',
      // The AI SDK's default is 2 retries (2 s, then 4 s).
      maxRetries: o.retries ? 2 : 0,
      abortSignal: o.signal,
      timeout: o.timeoutMs,
    });
    return ok(result.text);
  };
}

function aiStream(provider: 'openai' | 'anthropic'): MatrixClient['call'] {
  return async (o) => {
    const { streamText } = await import('ai');
    const model = await once(`ai-${provider}`, () => aiModel(provider));
    let failure: unknown;
    const result = streamText({
      model,
      prompt: 'hi',
      maxRetries: o.retries ? 2 : 0,
      abortSignal: o.signal,
      // streamText hands errors to onError and ends the text stream; the caller rethrows.
      onError: ({ error }) => {
        failure = error;
      },
    });
    let text = '';
    for await (const part of result.textStream) text += part;
    if (failure !== undefined) throw failure;
    return ok(text);
  };
}

async function cohere() {
  const { CohereClientV2 } = await import('cohere-ai');
  return new CohereClientV2({ token: KEY, environment: url('cohere') });
}

async function langchainOpenAI(o: CallOptions) {
  const { ChatOpenAI } = await import('@langchain/openai');
  return new ChatOpenAI({
    apiKey: KEY,
    model: 'gpt-4o-mini',
    configuration: { baseURL: `${url('openai')}/v1` },
    // AsyncCaller's default: 6 retries with exponential backoff (the inner openai client gets 0).
    maxRetries: o.retries ? 6 : 0,
    timeout: o.timeoutMs,
  });
}

async function langchainAnthropic(o: CallOptions) {
  const { ChatAnthropic } = await import('@langchain/anthropic');
  return new ChatAnthropic({
    apiKey: KEY,
    model: 'claude-haiku-4-5',
    anthropicApiUrl: url('anthropic'),
    maxRetries: o.retries ? 6 : 0,
  });
}

async function bedrock(o: CallOptions, handler: 'default' | 'http1') {
  const { BedrockRuntimeClient } = await import('@aws-sdk/client-bedrock-runtime');
  const common = {
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' },
    // Standard retry mode: 3 attempts by default.
    maxAttempts: o.retries ? 3 : 1,
  };
  if (handler === 'default') {
    // The default NodeHttp2Handler, built from options: its requestTimeout closes the stream.
    const requestHandler = o.timeoutMs === undefined ? undefined : { requestTimeout: o.timeoutMs };
    return new BedrockRuntimeClient({ ...common, endpoint: h2Url('bedrock'), requestHandler });
  }
  const { NodeHttpHandler } = await import('@smithy/node-http-handler');
  return new BedrockRuntimeClient({
    ...common,
    endpoint: url('bedrock'),
    requestHandler: new NodeHttpHandler(),
  });
}

function bedrockConverse(handler: 'default' | 'http1'): MatrixClient['call'] {
  return async (o) => {
    const { ConverseCommand } = await import('@aws-sdk/client-bedrock-runtime');
    const client = await once(keyOf(`bedrock-${handler}`, o), () => bedrock(o, handler));
    const answer = await client.send(
      new ConverseCommand({
        modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
        messages: [{ role: 'user', content: [{ text: 'hi' }] }],
      }),
      { abortSignal: o.signal },
    );
    return ok(answer.output?.message?.content?.[0]?.text);
  };
}

async function mistral(o: CallOptions) {
  const { Mistral } = await import('@mistralai/mistralai');
  return new Mistral({
    apiKey: KEY,
    serverURL: url('mistral'),
    timeoutMs: o.timeoutMs,
    // No retries by default; the opt-in retries 429 and 5xx, and connection errors if asked.
    retryConfig: o.retries
      ? {
          strategy: 'backoff',
          retryConnectionErrors: true,
          backoff: { initialInterval: 500, maxInterval: 60_000, exponent: 1.5, maxElapsedTime: 12_000 },
        }
      : undefined,
  });
}

async function genai(o: CallOptions) {
  const { GoogleGenAI } = await import('@google/genai');
  return new GoogleGenAI({
    apiKey: KEY,
    // No retries by default; retryOptions turns them on (408, 429, 5xx).
    httpOptions: {
      baseUrl: url('gemini'),
      timeout: o.timeoutMs,
      retryOptions: o.retries ? { attempts: 5 } : undefined,
    },
  });
}

async function replicate() {
  const { default: Replicate } = await import('replicate');
  return new Replicate({ auth: KEY, baseUrl: `${url('replicate')}/v1` });
}

async function vertex() {
  const { v1 } = await import('@google-cloud/aiplatform');
  const { credentials } = await import('@grpc/grpc-js');
  // An insecure channel to loopback: no credentials (the guard keeps the metadata server out).
  const client = new v1.PredictionServiceClient({
    apiEndpoint: '127.0.0.1',
    port: Number(new URL(h2Url('vertex')).port),
    sslCreds: credentials.createInsecure(),
  });
  await client.initialize();
  return client;
}

// A caller's own gax retry for UNAVAILABLE and DEADLINE_EXCEEDED (aiplatform's methods retry nothing).
const VERTEX_RETRY = {
  retryCodes: [14, 4],
  backoffSettings: {
    initialRetryDelayMillis: 100,
    retryDelayMultiplier: 1.3,
    maxRetryDelayMillis: 1000,
    initialRpcTimeoutMillis: 3000,
    rpcTimeoutMultiplier: 1,
    maxRpcTimeoutMillis: 3000,
    totalTimeoutMillis: 3000,
  },
};

const CLIENTS: Record<string, MatrixClient> = {
  groq: {
    fake: 'groq',
    provider: 'groq',
    async call(o) {
      const client = await once(keyOf('groq', o), () => groq(o));
      const answer = await client.chat.completions.create(
        { model: 'llama-3.1-8b-instant', messages: MESSAGES },
        { signal: o.signal },
      );
      return ok(answer.choices[0]?.message.content);
    },
  },
  together: {
    fake: 'together',
    provider: 'together',
    async call(o) {
      const client = await once(keyOf('together', o), () => together(o));
      const answer = await client.chat.completions.create(
        { model: 'meta-llama/Llama-3-8b-chat-hf', messages: MESSAGES },
        { signal: o.signal },
      );
      return ok(answer.choices[0]?.message?.content);
    },
  },
  'ai-openai': { fake: 'openai', provider: 'openai', call: aiGenerate('openai') },
  'ai-openai-stream': { fake: 'openai', provider: 'openai', call: aiStream('openai') },
  'ai-anthropic': { fake: 'anthropic', provider: 'anthropic', call: aiGenerate('anthropic') },
  'ai-anthropic-stream': { fake: 'anthropic', provider: 'anthropic', call: aiStream('anthropic') },
  cohere: {
    fake: 'cohere',
    provider: 'cohere',
    async call(o) {
      const client = await once('cohere', cohere);
      const answer = await client.chat(
        { model: 'command-r', messages: MESSAGES },
        {
          maxRetries: o.retries ? 2 : 0,
          abortSignal: o.signal,
          timeoutInSeconds: o.timeoutMs === undefined ? undefined : o.timeoutMs / 1000,
        },
      );
      const first = answer.message.content?.[0];
      return ok(first?.type === 'text' ? first.text : undefined);
    },
  },
  'langchain-openai': {
    fake: 'openai',
    provider: 'openai',
    async call(o) {
      const model = await once(keyOf('langchain-openai', o), () => langchainOpenAI(o));
      return ok((await model.invoke('hi', { signal: o.signal })).content);
    },
  },
  'langchain-anthropic': {
    fake: 'anthropic',
    provider: 'anthropic',
    async call(o) {
      const model = await once(keyOf('langchain-anthropic', o), () => langchainAnthropic(o));
      return ok((await model.invoke('hi', { signal: o.signal })).content);
    },
  },
  'bedrock-h2': { fake: 'bedrock', provider: 'aws.bedrock', call: bedrockConverse('default') },
  'bedrock-h1': { fake: 'bedrock', provider: 'aws.bedrock', call: bedrockConverse('http1') },
  mistral: {
    fake: 'mistral',
    provider: 'mistral_ai',
    async call(o) {
      const client = await once(keyOf('mistral', o), () => mistral(o));
      const answer = await client.chat.complete(
        { model: 'mistral-small-latest', messages: MESSAGES },
        o.signal === undefined ? undefined : { signal: o.signal },
      );
      return ok(answer.choices?.[0]?.message?.content);
    },
  },
  'google-genai': {
    fake: 'gemini',
    provider: 'gcp.gemini',
    async call(o) {
      const client = await once(keyOf('google-genai', o), () => genai(o));
      const answer = await client.models.generateContent({
        model: 'gemini-2.0-flash',
        contents: 'hi',
        config: { abortSignal: o.signal },
      });
      return ok(answer.text);
    },
  },
  replicate: {
    fake: 'replicate',
    provider: 'replicate',
    async call(o) {
      const client = await once('replicate', replicate);
      const prediction = await client.predictions.create({
        version: '5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa',
        input: { prompt: 'hi' },
        signal: o.signal,
      });
      return { status: 201, body: prediction.status };
    },
  },
  'vertex-grpc': {
    fake: 'vertex',
    provider: 'gcp.vertex_ai',
    async call(o) {
      const client = await once('vertex', vertex);
      const [answer] = await client.generateContent(
        {
          model: 'projects/p/locations/us-central1/publishers/google/models/gemini-2.0-flash',
          contents: [{ role: 'user', parts: [{ text: 'hi' }] }],
        },
        {
          ...(o.retries ? { retry: VERTEX_RETRY } : {}),
          ...(o.timeoutMs === undefined ? {} : { timeout: o.timeoutMs }),
        },
      );
      return ok(answer.candidates?.[0]?.content?.parts?.[0]?.text);
    },
  },
};

/** A matrix client by name, or undefined (then it is one of clients.ts's own). */
export function matrixClient(name: string): MatrixClient | undefined {
  return Object.hasOwn(CLIENTS, name) ? CLIENTS[name] : undefined;
}
