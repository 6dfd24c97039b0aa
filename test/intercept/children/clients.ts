import http from 'node:http';
import Anthropic from '@anthropic-ai/sdk';
import { createFalClient } from '@fal-ai/client';
import axios from 'axios';
import OpenAI from 'openai';
import * as undici from 'undici';
import { falRequestMiddleware } from '../../../fake-provider/index.js';
import { env } from './runtime.js';
import { matrixClient } from './sdk-clients.js';

/** Which server a plain HTTP client talks to: a provider's fake, or a loopback server that is no provider. */
export type Target = 'openai' | 'anthropic' | 'fal' | 'other';

/** A settled call: what the caller saw. SDK clients throw on errors; plain HTTP clients return them. */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface CallOptions {
  /** SDK clients: keep their default retries (to show they do not retry a local rejection). */
  retries: boolean;
  signal?: AbortSignal;
  stream?: boolean;
  /** SDK clients: the client-level timeout option, in ms (none: the library's default). */
  timeoutMs?: number;
}

export type Client = (options: CallOptions) => Promise<Reply>;

export function baseUrl(target: Target): string {
  return env(`FAKE_${target.toUpperCase()}_URL`);
}

const PATHS: Record<Target, string> = {
  openai: '/v1/chat/completions',
  anthropic: '/v1/messages',
  fal: '/fal-ai/flux/dev',
  other: '/v1/chat/completions',
};

export function requestUrl(target: Target): string {
  return `${baseUrl(target)}${PATHS[target]}`;
}

const BODY = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
const JSON_HEADERS = { 'content-type': 'application/json' };

/** Sockets axios asked its agent for: a rejection must come before any. */
export let socketsCreated = 0;
class CountingAgent extends http.Agent {
  override createConnection(...args: Parameters<http.Agent['createConnection']>) {
    socketsCreated++;
    // biome-ignore lint/complexity/noBannedTypes: Agent.createConnection is untyped in @types/node.
    return (http.Agent.prototype as unknown as { createConnection: Function }).createConnection.apply(
      this,
      args,
    );
  }
}
const countingAgent = new CountingAgent({ keepAlive: true });

/** fetch calls the fal client made (its retries included) and how long each took. */
export const falFetches: number[] = [];
const timedFetch: typeof fetch = async (input, init) => {
  const started = performance.now();
  try {
    return await fetch(input, init);
  } finally {
    falFetches.push(performance.now() - started);
  }
};

function plainHeaders(headers: Headers | Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers instanceof Headers)
    headers.forEach((value, name) => {
      out[name] = value;
    });
  else for (const [name, value] of Object.entries(headers)) out[name] = String(value);
  return out;
}

async function parse(text: string): Promise<unknown> {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

// Built once: the fail-fast timing should measure the call, not the client's construction.
const sdks = new Map<string, unknown>();
function once<T>(key: string, make: () => T): T {
  if (!sdks.has(key)) sdks.set(key, make());
  return sdks.get(key) as T;
}
function openai(retries: boolean, timeout?: number): OpenAI {
  return once(`openai${retries}${timeout}`, () => {
    const maxRetries = retries ? 2 : 0;
    return new OpenAI({ baseURL: `${baseUrl('openai')}/v1`, apiKey: 'test', maxRetries, timeout });
  });
}
function anthropic(retries: boolean, timeout?: number): Anthropic {
  return once(`anthropic${retries}${timeout}`, () => {
    const maxRetries = retries ? 2 : 0;
    return new Anthropic({ baseURL: baseUrl('anthropic'), apiKey: 'test', maxRetries, timeout });
  });
}
function fal() {
  return once('fal', () =>
    createFalClient({
      credentials: 'test',
      requestMiddleware: falRequestMiddleware(baseUrl('fal')),
      fetch: timedFetch,
    }),
  );
}

/** Node's global fetch and undici 7's fetch take the same call and give the same Response. */
function fetchClient(target: Target, fetchImpl: typeof fetch): Client {
  return async ({ signal }) => {
    const res = await fetchImpl(requestUrl(target), {
      method: 'POST',
      body: BODY,
      headers: JSON_HEADERS,
      signal,
    });
    return { status: res.status, headers: plainHeaders(res.headers), body: await parse(await res.text()) };
  };
}

export function client(name: string, target: Target): Client {
  switch (name) {
    case 'openai-sdk':
      return async ({ retries, signal, stream, timeoutMs }) => {
        const sdk = openai(retries, timeoutMs);
        const messages = [{ role: 'user' as const, content: 'hi' }];
        if (stream) {
          const chunks = await sdk.chat.completions.create(
            { model: 'gpt-4o-mini', messages, stream },
            { signal },
          );
          let text = '';
          for await (const chunk of chunks) text += chunk.choices[0]?.delta.content ?? '';
          return { status: 200, body: text };
        }
        const completion = await sdk.chat.completions.create({ model: 'gpt-4o-mini', messages }, { signal });
        return { status: 200, body: completion.choices[0]?.message.content };
      };
    case 'anthropic-sdk':
      return async ({ retries, signal, timeoutMs }) => {
        const message = await anthropic(retries, timeoutMs).messages.create(
          { model: 'claude-3-5-haiku-latest', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] },
          { signal },
        );
        return { status: 200, body: message.content[0]?.type };
      };
    case 'fal-sdk':
      return async () => {
        const result = await fal().run('fal-ai/flux/dev', { input: { prompt: 'a cat' } });
        return { status: 200, body: result.requestId };
      };
    case 'fetch':
      return fetchClient(target, fetch);
    case 'undici-fetch':
      return fetchClient(target, undici.fetch as unknown as typeof fetch);
    case 'undici-request':
      return async ({ signal }) => {
        const res = await undici.request(requestUrl(target), {
          method: 'POST',
          body: BODY,
          headers: JSON_HEADERS,
          signal,
        });
        return {
          status: res.statusCode,
          headers: plainHeaders(res.headers),
          body: await parse(await res.body.text()),
        };
      };
    case 'axios':
      return async ({ signal }) => {
        const res = await axios.post(requestUrl(target), BODY, {
          headers: JSON_HEADERS,
          httpAgent: countingAgent,
          signal,
          validateStatus: () => true,
          transformResponse: (data: unknown) => data,
        });
        return {
          status: res.status,
          headers: plainHeaders(res.headers as Record<string, unknown>),
          body: await parse(String(res.data)),
        };
      };
    default: {
      const matrix = matrixClient(name);
      if (matrix === undefined) throw new Error(`unknown client ${name}`);
      return (options) => matrix.call(options);
    }
  }
}
