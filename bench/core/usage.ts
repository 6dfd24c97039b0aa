/**
 * Per-record cost of token usage reading and of endpoint lookup, side by side with controls in one process: the whole gate path
 * (admit, response start, every body chunk, finish and record) for a request with a usage rule
 * against the same request to a path without one (whose body is never read), for one JSON body
 * and for a 50-event stream; and the lookup + admit of a region endpoint against a plain provider.
 * See docs/design.md, "Token usage and cost", and "Endpoints".
 * Run: node --expose-gc --import tsx bench/core/usage.ts
 */
import { resolveOptions } from '../../src/config/resolve.js';
import { admitRequest } from '../../src/gate/admission-gate.js';
import { RequestObservation } from '../../src/gate/request-observation.js';
import type { HeaderSource } from '../../src/outcome/headers.js';
import { ProviderRegistry } from '../../src/providers/registry.js';
import { compare, formatNs, table } from './harness.js';

const ROUNDS = Number(process.env.ROUNDS ?? 31);
const registry = new ProviderRegistry(
  resolveOptions(
    { server: false, providers: { openai: { prices: { '*': { input: 0.15, output: 0.6 } } } } },
    {},
  ),
);
const openai = registry.getOrCreateProvider('openai');

const header = (type: string): (() => HeaderSource) => {
  const source: HeaderSource = { get: (name) => (name === 'content-type' ? type : null) };
  return () => source;
};
const JSON_TYPE = header('application/json');
const SSE_TYPE = header('text/event-stream; charset=utf-8');

const chunk = (extra: Record<string, unknown>) =>
  Buffer.from(
    `data: ${JSON.stringify({ id: 'chatcmpl-2', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini-2024-07-18', ...extra })}\n\n`,
  );
const JSON_BODY = [
  Buffer.from(
    JSON.stringify({
      id: 'chatcmpl-1',
      object: 'chat.completion',
      model: 'gpt-4o-mini-2024-07-18',
      choices: [
        { index: 0, message: { role: 'assistant', content: 'word '.repeat(150) }, finish_reason: 'stop' },
      ],
      usage: { prompt_tokens: 12, completion_tokens: 150, total_tokens: 162 },
    }),
  ),
];
const SSE_BODY = [
  ...Array.from({ length: 48 }, (_, i) =>
    chunk({ choices: [{ index: 0, delta: { content: ` w${i}` } }], usage: null }),
  ),
  chunk({ choices: [], usage: { prompt_tokens: 12, completion_tokens: 48, total_tokens: 60 } }),
  Buffer.from('data: [DONE]\n\n'),
];

function request(path: string, headers: () => HeaderSource, body: readonly Buffer[]) {
  return (n: number): number => {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const observation = admitRequest(registry, openai, 'POST', 'https://api.openai.com', path);
      if (!(observation instanceof RequestObservation)) continue;
      observation.onResponseStart(200, headers);
      for (const part of body) if (observation.capturingBody) observation.onBodyChunk(part);
      observation.finish();
      sum += observation.usage?.inputTokens ?? 1;
    }
    return sum;
  };
}

const ENDPOINT = 'https://bedrock-runtime.us-east-1.amazonaws.com';
const PLAIN = 'https://api.anthropic.com';
function lookupAndAdmit(origin: string) {
  if (registry.providerForOrigin(origin) === undefined) throw new Error(origin);
  return (n: number): number => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += registry.providerForOrigin(origin)?.admit() ?? 0;
    return sum;
  };
}

// Sanity: the usage variants read usage, the controls none.
if (request('/v1/chat/completions', JSON_TYPE, JSON_BODY)(1) !== 12) throw new Error('JSON usage not read');
if (request('/v1/chat/completions', SSE_TYPE, SSE_BODY)(1) !== 12) throw new Error('SSE usage not read');
if (request('/v1/uploads', SSE_TYPE, SSE_BODY)(1) !== 1) throw new Error('control read usage');

const results = await compare(
  [
    {
      name: 'JSON, no usage rule (control)',
      iterations: 20_000,
      run: request('/v1/uploads', JSON_TYPE, JSON_BODY),
    },
    {
      name: 'JSON, usage read',
      iterations: 20_000,
      run: request('/v1/chat/completions', JSON_TYPE, JSON_BODY),
    },
    {
      name: 'stream of 50 events, no usage rule',
      iterations: 5_000,
      run: request('/v1/uploads', SSE_TYPE, SSE_BODY),
    },
    {
      name: 'stream of 50 events, usage read',
      iterations: 5_000,
      run: request('/v1/chat/completions', SSE_TYPE, SSE_BODY),
    },
    { name: 'lookup + admit, plain provider', iterations: 500_000, run: lookupAndAdmit(PLAIN) },
    { name: 'lookup + admit, region endpoint', iterations: 500_000, run: lookupAndAdmit(ENDPOINT) },
    {
      name: 'control: lookup + admit, plain provider again',
      iterations: 500_000,
      run: lookupAndAdmit(PLAIN),
    },
  ],
  ROUNDS,
);

console.log(`\nUsage reading and endpoint lookup, ${ROUNDS} alternating rounds, median per request`);
const ratio = (a: number, b: number) =>
  `${((results[a]?.medianNs ?? 0) / (results[b]?.medianNs ?? 1)).toFixed(3)}×`;
const added = (a: number, b: number) => formatNs((results[a]?.medianNs ?? 0) - (results[b]?.medianNs ?? 0));
table(
  ['variant', 'median', 'min', 'max'],
  results.map((r) => [r.name, formatNs(r.medianNs), formatNs(r.minNs), formatNs(r.maxNs)]),
);
console.log(`usage read, JSON body: +${added(1, 0)} per request (${ratio(1, 0)} of the control)`);
console.log(`usage read, 50-event stream: +${added(3, 2)} per request (${ratio(3, 2)} of the control)`);
console.log(`endpoint vs plain lookup + admit: ${ratio(5, 4)}; the plain-vs-plain control: ${ratio(6, 4)}`);
