import { describe, expect, it } from 'vitest';
import { useScenario } from '../intercept/support/scenario.js';
import { fakesOf, type MatrixGroup, MatrixRun } from './support/matrix.js';

/**
 * `PROVIDER_HEALTH_REJECT_WITH=error` (docs/design.md, "Rejecting while open"): clients that do
 * not retry connection errors get the CircuitOpenError (or an error caused by it); clients that
 * retry them with backoff get the local reply instead. Either way: fast, one rejection per call,
 * nothing sent, recognised by getCircuitOpenError().
 */
const OPENAI: MatrixGroup = { fake: 'openai', spec: { flavor: 'openai', provider: 'openai' }, clients: [] };
const COHERE: MatrixGroup = { fake: 'cohere', spec: { flavor: 'cohere', provider: 'cohere' }, clients: [] };
const GEMINI: MatrixGroup = {
  fake: 'gemini',
  spec: { flavor: 'google', provider: 'gcp.gemini' },
  clients: [],
};
const BEDROCK: MatrixGroup = {
  fake: 'bedrock',
  spec: { flavor: 'bedrock', provider: 'aws.bedrock' },
  clients: [],
};

describe('PROVIDER_HEALTH_REJECT_WITH=error with real clients', () => {
  const s = useScenario({
    preload: 'require',
    fakes: fakesOf([OPENAI, COHERE, GEMINI, BEDROCK]),
    env: { PROVIDER_HEALTH_REJECT_WITH: 'error' },
  });

  it('axios (node:http): the CircuitOpenError itself', async () => {
    const run = new MatrixRun(s, 'axios', OPENAI);
    await run.trip();
    const { calls } = await run.rejectWhileOpen();
    for (const r of calls)
      expect(r.error).toMatchObject({ name: 'CircuitOpenError', code: 'ERR_CIRCUIT_OPEN' });
  });

  it('openai (retries connection errors): the local 400 reply instead, not retried', async () => {
    const run = new MatrixRun(s, 'openai-sdk', OPENAI);
    await run.trip();
    const { calls } = await run.rejectWhileOpen();
    for (const r of calls) expect(r.error).toMatchObject({ type: 'BadRequestError', status: 400 });
  });

  it('cohere (never retries a thrown error): its CohereError caused by the rejection, one attempt', async () => {
    const run = new MatrixRun(s, 'cohere', COHERE);
    await run.trip();
    // cohere's message is fetch's "fetch failed": the circuit's text is in the cause chain.
    const { calls } = await run.rejectWhileOpen(false);
    for (const r of calls) {
      expect(r.error?.type ?? r.error?.name).toBe('CohereError');
      expect(r.error?.cause).toMatchObject({ name: 'TypeError', cause: { name: 'CircuitOpenError' } });
    }
  });

  it('@google/genai (retries nothing by default, and never a TypeError): fetch’s TypeError caused by it', async () => {
    const run = new MatrixRun(s, 'google-genai', GEMINI);
    await run.trip();
    const { calls } = await run.rejectWhileOpen(false);
    for (const r of calls)
      expect(r.error).toMatchObject({
        name: 'TypeError',
        message: 'fetch failed',
        cause: { name: 'CircuitOpenError' },
      });
  });

  it.each(['bedrock-h2', 'bedrock-h1'])(
    '%s: the AWS SDK rethrows the CircuitOpenError as is, one attempt',
    async (client) => {
      const run = new MatrixRun(s, client, BEDROCK);
      await run.trip();
      const { calls } = await run.rejectWhileOpen();
      for (const r of calls)
        expect(r.error).toMatchObject({ name: 'CircuitOpenError', code: 'ERR_CIRCUIT_OPEN' });
    },
  );

  it('no client reached beyond loopback', async () => {
    expect(await s.child.call('blocked')).toEqual([]);
  });
});
