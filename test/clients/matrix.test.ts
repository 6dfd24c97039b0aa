import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { useScenario } from '../intercept/support/scenario.js';
import { fakesOf, type MatrixGroup, MatrixRun } from './support/matrix.js';

/**
 * The compatibility matrix (README, "Compatibility"): real client libraries, in a child process
 * under `--require provider-health/register`, against the fake provider on loopback. For each:
 * detected, opens after 5 failures, fails fast while open with nothing reaching the provider and
 * no retry of the local reply, recognised by getCircuitOpenError(), recovers. What each client
 * measured and threw goes to test-artifacts/client-matrix.json (the README's numbers).
 */
const GROUPS: readonly MatrixGroup[] = [
  {
    fake: 'openai',
    spec: { flavor: 'openai', provider: 'openai' },
    clients: ['openai-sdk', 'ai-openai', 'ai-openai-stream', 'langchain-openai', 'axios'],
  },
  {
    fake: 'anthropic',
    spec: { flavor: 'anthropic', provider: 'anthropic' },
    clients: ['anthropic-sdk', 'ai-anthropic', 'ai-anthropic-stream', 'langchain-anthropic'],
  },
  {
    fake: 'bedrock',
    spec: { flavor: 'bedrock', provider: 'aws.bedrock' },
    clients: ['bedrock-h2', 'bedrock-h1'],
  },
  { fake: 'groq', spec: { flavor: 'openai', provider: 'groq' }, clients: ['groq'] },
  { fake: 'together', spec: { flavor: 'openai', provider: 'together' }, clients: ['together'] },
  { fake: 'cohere', spec: { flavor: 'cohere', provider: 'cohere' }, clients: ['cohere'] },
  { fake: 'mistral', spec: { flavor: 'openai', provider: 'mistral_ai' }, clients: ['mistral'] },
  { fake: 'gemini', spec: { flavor: 'google', provider: 'gcp.gemini' }, clients: ['google-genai'] },
  { fake: 'vertex', spec: { flavor: 'google', provider: 'gcp.vertex_ai' }, clients: ['vertex-grpc'] },
  { fake: 'replicate', spec: { flavor: 'replicate', provider: 'replicate' }, clients: ['replicate'] },
  { fake: 'fal', spec: { flavor: 'fal', provider: 'fal' }, clients: ['fal-sdk'] },
];

// What each client speaks, as the fake saw it.
const TRANSPORT: Record<string, string> = { 'bedrock-h2': 'http2', 'vertex-grpc': 'grpc' };

const measured: Record<string, unknown> = {};
afterAll(() => {
  mkdirSync('test-artifacts', { recursive: true });
  writeFileSync('test-artifacts/client-matrix.json', `${JSON.stringify(measured, null, 2)}\n`);
});

describe('every client fails fast while its provider is down', () => {
  // One child for the whole matrix: each library loads once, on its first call. Circuits stay
  // open (HELD_OPEN_MS) while measured: the measurement never races a move to half-open.
  const s = useScenario({ preload: 'require', fakes: fakesOf(GROUPS) });

  const cases = GROUPS.flatMap((group) => group.clients.map((client) => ({ client, group })));
  it.each(cases)('$client ($group.spec.provider)', async ({ client, group }) => {
    const run = new MatrixRun(s, client, group);
    await run.trip();
    expect(run.fake.requests.at(-1)?.transport).toBe(TRANSPORT[client] ?? 'http1');
    const { medians, calls } = await run.rejectWhileOpen();
    const first = calls[0]?.error;
    measured[client] = {
      provider: group.spec.provider,
      transport: TRANSPORT[client] ?? 'http1',
      medianMsPerBatch: medians.map((m) => Math.round(m * 10) / 10),
      callMs: calls.map((r) => Math.round(r.ms * 10) / 10),
      error: {
        class: first?.type ?? first?.name,
        name: first?.name,
        status: first?.status,
        message: first?.message,
      },
    };
    await run.recover();
  });

  it('no client reached beyond loopback (DNS or connect)', async () => {
    expect(await s.child.call('blocked')).toEqual([]);
  });
});
