import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { Agent, Client, fetch as undiciFetch, request as undiciRequest } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classify, headersFromRecord } from '../../src/outcome/classify.js';

/**
 * Real failures from real clients against a loopback server: no network behaviour is faked, so
 * these tests break if Node, undici or an SDK changes the shape of what they throw.
 */
const ERROR_BODIES: Record<string, { status: number; headers: Record<string, string>; body: unknown }> = {
  '/v1/chat/completions': {
    status: 429,
    headers: { 'retry-after': '2', 'x-should-retry': 'false' },
    body: {
      error: {
        message: 'You exceeded your current quota, please check your plan and billing details.',
        type: 'insufficient_quota',
        param: null,
        code: 'insufficient_quota',
      },
    },
  },
  '/v1/messages': {
    status: 529,
    headers: { 'retry-after': '3', 'x-should-retry': 'false' },
    body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' }, request_id: 'req_1' },
  },
  '/fal': {
    status: 504,
    headers: { 'x-fal-error-type': 'request_timeout' },
    body: { detail: 'Request timed out', error_type: 'request_timeout' },
  },
};

let server: http.Server;
let origin: string;
let closedOrigin: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    if (path.startsWith('/hang')) return; // never answers
    if (path === '/reset') {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('partial');
      setTimeout(() => res.socket?.destroy(), 10);
      return;
    }
    const canned = ERROR_BODIES[path];
    if (canned === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(canned.status, { 'content-type': 'application/json', ...canned.headers });
    res.end(JSON.stringify(canned.body));
  });
  origin = await listen(server);
  const closed = http.createServer();
  closedOrigin = await listen(closed);
  await new Promise((resolve) => closed.close(resolve));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function listen(target: http.Server): Promise<string> {
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

function httpGet(url: string, options: http.RequestOptions = {}): Promise<unknown> {
  return new Promise((resolve) => {
    const req = http.get(url, options, (res) => res.resume());
    req.on('error', resolve);
  });
}

describe('global fetch', () => {
  it('AbortController.abort() is canceled', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const error = await rejection(fetch(`${origin}/hang`, { signal: controller.signal }));
    expect(classify({ error })).toEqual({ outcome: 'canceled', reason: 'AbortError' });
  });

  it('AbortSignal.timeout(1) is a timeout', async () => {
    const error = await rejection(fetch(`${origin}/hang`, { signal: AbortSignal.timeout(1) }));
    expect(classify({ error })).toEqual({ outcome: 'timeout', reason: 'TimeoutError' });
  });

  it('abort with a custom reason is canceled when the signal is reported aborted', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort('user left'), 20);
    const error = await rejection(fetch(`${origin}/hang`, { signal: controller.signal }));
    expect(error).toBe('user left'); // fetch rejects with the bare reason
    expect(classify({ error, aborted: controller.signal.aborted }).outcome).toBe('canceled');
  });

  it('ECONNREFUSED to a closed port', async () => {
    const error = await rejection(fetch(`${closedOrigin}/`));
    expect(classify({ error })).toEqual({ outcome: 'connection_error', reason: 'ECONNREFUSED' });
  });

  it('connection reset in the middle of the body', async () => {
    const response = await fetch(`${origin}/reset`);
    const error = await rejection(response.text());
    expect(classify({ status: response.status, error })).toEqual({
      outcome: 'connection_error',
      reason: 'UND_ERR_SOCKET after HTTP 200',
    });
  });

  it('TLS spoken to a plain HTTP server', async () => {
    const error = await rejection(
      fetch(origin.replace('http:', 'https:'), { signal: AbortSignal.timeout(5000) }),
    );
    const result = classify({ error });
    expect(result.outcome).toBe('connection_error');
    expect(result.reason).toMatch(/^(ERR_SSL_|EPROTO|ECONNRESET)/);
  });

  it('a documented error response read through fetch', async () => {
    const response = await fetch(`${origin}/v1/messages`);
    const body = await response.text();
    expect(classify({ status: response.status, headers: response.headers, body })).toEqual({
      outcome: 'provider_error',
      reason: 'HTTP 529 overloaded_error',
      retryAfterMs: 3000,
    });
  });
});

describe('node:http', () => {
  it('ECONNREFUSED to a closed port', async () => {
    const error = await httpGet(`${closedOrigin}/`);
    expect(classify({ error })).toEqual({ outcome: 'connection_error', reason: 'ECONNREFUSED' });
  });

  it('signal: AbortSignal.timeout is a timeout (AbortError with a TimeoutError cause)', async () => {
    const error = await httpGet(`${origin}/hang`, { signal: AbortSignal.timeout(5) });
    expect((error as Error).name).toBe('AbortError');
    expect(classify({ error })).toEqual({ outcome: 'timeout', reason: 'TimeoutError' });
  });

  it('signal: AbortController is canceled', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 10);
    const error = await httpGet(`${origin}/hang`, { signal: controller.signal });
    expect(classify({ error }).outcome).toBe('canceled');
  });

  it('IncomingHttpHeaders through headersFromRecord', async () => {
    const { status, headers, body } = await new Promise<{
      status: number;
      headers: http.IncomingHttpHeaders;
      body: string;
    }>((resolve, reject) => {
      http
        .get(`${origin}/fal`, (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (chunk: string) => {
            text += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        })
        .on('error', reject);
    });
    expect(classify({ status, headers: headersFromRecord(headers), body })).toEqual({
      outcome: 'timeout',
      reason: 'HTTP 504 request_timeout',
    });
  });
});

describe('undici', () => {
  it('headersTimeout on request()', async () => {
    const error = await rejection(undiciRequest(`${origin}/hang`, { headersTimeout: 20 }));
    expect(classify({ error })).toEqual({ outcome: 'timeout', reason: 'UND_ERR_HEADERS_TIMEOUT' });
  });

  it('headersTimeout through fetch with an Agent', async () => {
    const dispatcher = new Agent({ headersTimeout: 20 });
    const error = await rejection(undiciFetch(`${origin}/hang`, { dispatcher }));
    expect(classify({ error })).toEqual({ outcome: 'timeout', reason: 'UND_ERR_HEADERS_TIMEOUT' });
    await dispatcher.close();
  });

  it('raw header Buffers from a dispatch handler', async () => {
    const client = new Client(origin);
    const captured = await new Promise<{ status: number; raw: Buffer[] }>((resolve, reject) => {
      let status = 0;
      let raw: Buffer[] = [];
      client.dispatch(
        { path: '/v1/chat/completions', method: 'GET' },
        {
          onConnect() {},
          onHeaders(statusCode: number, rawHeaders: Buffer[]) {
            status = statusCode;
            raw = rawHeaders;
            return true;
          },
          onData() {
            return true;
          },
          onComplete() {
            resolve({ status, raw });
          },
          onError: reject,
        },
      );
    });
    await client.close();
    expect(captured.raw[0]).toBeInstanceOf(Buffer);
    expect(classify({ status: captured.status, headers: headersFromRecord(captured.raw) })).toEqual({
      outcome: 'rate_limited', // no body passed: quota cannot be told from a rate limit
      reason: 'HTTP 429',
      retryAfterMs: 2000,
    });
  });
});

describe('official SDK errors', () => {
  it('openai RateLimitError for insufficient_quota', async () => {
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: `${origin}/v1`, maxRetries: 0 });
    const error = await rejection(client.chat.completions.create({ model: 'gpt-4o', messages: [] }));
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(classify({ error })).toEqual({
      outcome: 'quota_exhausted',
      reason: 'HTTP 429 insufficient_quota',
      retryAfterMs: 2000,
    });
  });

  it('anthropic 529 overloaded_error', async () => {
    const client = new Anthropic({ apiKey: 'sk-ant-test', baseURL: origin, maxRetries: 0 });
    const error = await rejection(client.messages.create({ model: 'claude-x', max_tokens: 1, messages: [] }));
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(classify({ error })).toEqual({
      outcome: 'provider_error',
      reason: 'HTTP 529 overloaded_error',
      retryAfterMs: 3000,
    });
  });

  it('openai client timeout is a timeout, not a cancel', async () => {
    const client = new OpenAI({
      apiKey: 'sk-test',
      baseURL: `${origin}/hang/v1`,
      maxRetries: 0,
      timeout: 30,
    });
    const error = await rejection(client.chat.completions.create({ model: 'gpt-4o', messages: [] }));
    expect(error).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    expect(classify({ error })).toEqual({ outcome: 'timeout', reason: 'APIConnectionTimeoutError' });
  });

  it('anthropic user abort is canceled', async () => {
    const client = new Anthropic({ apiKey: 'sk-ant-test', baseURL: `${origin}/hang`, maxRetries: 0 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const error = await rejection(
      client.messages.create(
        { model: 'claude-x', max_tokens: 1, messages: [] },
        { signal: controller.signal },
      ),
    );
    expect(error).toBeInstanceOf(Anthropic.APIUserAbortError);
    expect(classify({ error }).outcome).toBe('canceled');
  });

  it('openai connection refused', async () => {
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: `${closedOrigin}/v1`, maxRetries: 0 });
    const error = await rejection(client.chat.completions.create({ model: 'gpt-4o', messages: [] }));
    expect(error).toBeInstanceOf(OpenAI.APIConnectionError);
    expect(classify({ error })).toEqual({ outcome: 'connection_error', reason: 'ECONNREFUSED' });
  });
});
