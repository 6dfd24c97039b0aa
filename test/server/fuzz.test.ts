import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningHealthServer } from '../../src/server/index.js';
import { ADMIN_TOKEN, fail, makeRegistry, raw, rawSocket, startServer } from './helpers.js';
import { waitFor } from './live-client.js';

let server: RunningHealthServer;

beforeAll(async () => {
  const registry = makeRegistry({ adminToken: ADMIN_TOKEN, providers: { openai: {}, anthropic: {} } });
  fail(registry.getOrCreateProvider('openai'), 5);
  server = await startServer(registry, { maxBodyBytes: 512, headersTimeoutMs: 2000, requestTimeoutMs: 2000 });
});
afterAll(async () => {
  await server.close();
});

// Paths built from the real route vocabulary mixed with hostile pieces, so the fuzzer reaches
// deep into the routes instead of bouncing off the first 404.
const segment = fc.oneof(
  fc.constantFrom('health', 'providers', 'events', 'openai', 'anthropic', 'fal.ai', 'check', 'reset', 'open'),
  fc.constantFrom(
    '',
    '.',
    '..',
    '%2e%2e',
    '%2F',
    '%00',
    '%ZZ',
    '%E0%A4%A',
    '%C0%AE',
    '~',
    '*',
    'metrics',
    'assets',
  ),
  fc.stringMatching(/^[A-Za-z0-9._~%!$&'()*+,;=:@-]{0,70}$/),
);
const path = fc
  .tuple(fc.array(segment, { maxLength: 6 }), fc.option(fc.stringMatching(/^[A-Za-z0-9=&%.]{0,40}$/)))
  .map(([segments, query]) => `/${segments.join('/')}${query === null ? '' : `?${query}`}`);
const method = fc.oneof(
  fc.constantFrom('GET', 'POST', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'PATCH', 'TRACE', 'CONNECT'),
  fc.stringMatching(/^[A-Z]{1,10}$/),
);
const headerName = fc.oneof(
  fc.constantFrom(
    'authorization',
    'content-type',
    'content-length',
    'last-event-id',
    'x-forwarded-for',
    'accept',
  ),
  fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/),
);
const headerValue = fc.oneof(
  fc.constantFrom(
    `Bearer ${ADMIN_TOKEN}`,
    'Bearer x',
    'application/json',
    'text/plain',
    '99999999',
    '-1',
    '5',
  ),
  fc.stringMatching(/^[\x20-\x7e]{0,80}$/),
);
const body = fc.oneof(
  fc.constant(''),
  fc.json({ maxDepth: 3 }),
  fc.string({ maxLength: 700 }),
  fc.constantFrom('{"duration":"1s"}', '{"duration":-5}', '{', '[]', 'null', '{"__proto__":{"x":1}}'),
);

it('answers any request with a non-5xx status and keeps answering', async () => {
  await fc.assert(
    fc.asyncProperty(
      method,
      path,
      fc.array(fc.tuple(headerName, headerValue), { maxLength: 5 }),
      body,
      async (verb, target, headers, payload) => {
        const bytes = Buffer.from(payload, 'utf8');
        const lines = [`${verb} ${target} HTTP/1.1`, 'host: localhost', 'connection: close'];
        for (const [name, value] of headers) {
          // The framing headers are ours: a fuzzed content-length would only make the socket wait.
          if (name !== 'content-length' && name !== 'transfer-encoding') lines.push(`${name}: ${value}`);
        }
        lines.push(`content-length: ${bytes.length}`);
        const request = Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), bytes]);
        // connection: close, so the wait ends when the server closes; 10 s only bounds a silent one.
        const answer = await rawSocket(server.url, request, 10_000);
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);
        // CONNECT and a few odd methods may be refused by Node's parser with a closed socket.
        if (status === 0) return verb === 'CONNECT';
        if (status >= 500) throw new Error(`${status} for ${verb} ${target}: ${answer.slice(0, 300)}`);
        return true;
      },
    ),
    { numRuns: 400 },
  );
  // /health may be 503 if the fuzzer guessed the token and forced circuits open; this one is always 200.
  const providers = await raw(server.url, 'GET', '/health/providers');
  expect(providers.status).toBe(200);
  const hub = server.handler.events;
  await waitFor(() => hub.subscriberCount === 0);
}, 120_000);
