import { describe, expect, it, vi } from 'vitest';
import { useScenario } from '../intercept/support/scenario.js';
import { EVENTUALLY } from '../support/waits.js';
import { fakesOf, type MatrixGroup, MatrixRun } from './support/matrix.js';

/**
 * A client's own timeout trips the breaker; a caller's early cancel never does
 * (docs/design.md, "Outcomes"). Each describe block has its own child, so one block's times to
 * first byte never set another's abort rule.
 */
const OPENAI: MatrixGroup = { fake: 'openai', spec: { flavor: 'openai', provider: 'openai' }, clients: [] };
const BEDROCK: MatrixGroup = {
  fake: 'bedrock',
  spec: { flavor: 'bedrock', provider: 'aws.bedrock' },
  clients: [],
};
const COHERE: MatrixGroup = { fake: 'cohere', spec: { flavor: 'cohere', provider: 'cohere' }, clients: [] };
const VERTEX: MatrixGroup = {
  fake: 'vertex',
  spec: { flavor: 'google', provider: 'gcp.vertex_ai' },
  clients: [],
};

const delta = (after: Record<string, number>, before: Record<string, number>) =>
  Object.fromEntries(Object.keys(after).map((k) => [k, (after[k] ?? 0) - (before[k] ?? 0)]));

describe('SDK timeouts against a hung provider open the circuit', () => {
  const s = useScenario({ preload: 'require', fakes: fakesOf([OPENAI, BEDROCK, COHERE, VERTEX]) });

  /**
   * A provider that answered normally, then hangs: five attempts that each time out, at once.
   * Timeouts under the abort rule's 1 s minimum can only count by their reason or declaration.
   */
  async function hangAndTimeOut(run: MatrixRun, timeoutMs: number) {
    await run.start({ kind: 'ok' });
    expect((await run.call({ n: 2 })).map((r) => r.error)).toEqual([undefined, undefined]);
    run.fake.setDefault({ kind: 'hang' });
    const before = await run.outcomes();
    const attempts = await run.call({ n: 5, timeoutMs, parallel: true });
    const counted = delta(await run.outcomes(), before);
    return { attempts, counted };
  }

  it('openai with a client-level timeout (no header declares it): 5 attempts, 5 timeouts, open', async () => {
    const run = new MatrixRun(s, 'openai-sdk', OPENAI);
    const { attempts, counted } = await hangAndTimeOut(run, 2_000);
    for (const r of attempts) expect(r.error?.type).toBe('APIConnectionTimeoutError');
    expect(counted).toMatchObject({ timeout: 5, canceled: 0, connection_error: 0 });
    expect(await run.state()).toBe('open');
    // Judged by the provider's recent time to first byte, not by a declaration: none was sent.
    expect(run.fake.requests.at(-1)?.headers['x-stainless-timeout']).toBeUndefined();
    run.expectRejected((await run.call({ timeoutMs: 2_000 }))[0] as never);
  });

  it('the AI SDK’s timeout (AbortSignal.timeout: a TimeoutError) counts at once', async () => {
    const run = new MatrixRun(s, 'ai-openai', OPENAI);
    const { counted } = await hangAndTimeOut(run, 600);
    expect(counted).toMatchObject({ timeout: 5, canceled: 0 });
    expect(await run.state()).toBe('open');
  });

  it('the AWS SDK’s HTTP/2 requestTimeout (it closes the stream, no reason given): by time to first byte', async () => {
    const run = new MatrixRun(s, 'bedrock-h2', BEDROCK);
    const { attempts, counted } = await hangAndTimeOut(run, 1_500);
    for (const r of attempts) expect(r.error?.name).toBe('TimeoutError');
    expect(counted).toMatchObject({ timeout: 5, canceled: 0 });
    expect(await run.state()).toBe('open');
  });

  it('cohere’s timeout (it aborts with the string "timeout") counts at once', async () => {
    const run = new MatrixRun(s, 'cohere', COHERE);
    const { counted } = await hangAndTimeOut(run, 600);
    expect(counted).toMatchObject({ timeout: 5, canceled: 0 });
    expect(await run.state()).toBe('open');
  });

  it('a gRPC deadline (grpc-timeout declared) shorter than the abort rule’s minimum counts as a timeout', async () => {
    const run = new MatrixRun(s, 'vertex-grpc', VERTEX);
    const { attempts, counted } = await hangAndTimeOut(run, 800);
    for (const r of attempts) expect(r.error?.message).toMatch(/^4 DEADLINE_EXCEEDED/);
    expect(counted).toMatchObject({ timeout: 5, canceled: 0 });
    expect(await run.state()).toBe('open');
    expect(run.fake.requests.at(-1)?.headers['grpc-timeout']).toMatch(/^\d+[mu]$/);
  });
});

const ANTHROPIC: MatrixGroup = {
  fake: 'anthropic',
  spec: { flavor: 'anthropic', provider: 'anthropic' },
  clients: [],
};

describe('a caller that cancels early never trips it', () => {
  const s = useScenario({ preload: 'require', fakes: fakesOf([OPENAI, ANTHROPIC]) });

  it.each([
    { client: 'openai-sdk', group: OPENAI },
    { client: 'ai-openai', group: OPENAI },
    // A sub-second client timeout: @anthropic-ai/sdk declares it as `x-stainless-timeout: 0`.
    { client: 'anthropic-sdk', group: ANTHROPIC, timeoutMs: 900 },
  ])(
    '$client: cancels at 50 ms while the provider answers in ~500 ms are canceled, not failures',
    async ({ client, group, timeoutMs }) => {
      const run = new MatrixRun(s, client, group);
      const normal = { kind: 'delay', ms: 500 } as const;
      await run.start(normal);
      // The provider's normal time to first byte: ~500 ms.
      expect((await run.call({ n: 3, parallel: true, timeoutMs })).map((r) => r.error)).toEqual([
        undefined,
        undefined,
        undefined,
      ]);
      const before = await run.outcomes();
      const canceled = await run.call({ n: 8, abortAfterMs: 50, timeoutMs });
      for (const r of canceled) expect(`${r.error?.type} ${r.error?.name}`).toMatch(/Abort/);
      // On a busy machine a client may still be preparing when its caller lets go, and then
      // sends nothing: at least five cancels, enough to open the circuit were they failures.
      const counted = async () => delta(await run.outcomes(), before);
      await vi.waitFor(async () => expect((await counted()).canceled).toBeGreaterThanOrEqual(5), EVENTUALLY);
      expect(await counted()).toMatchObject({ timeout: 0, connection_error: 0, provider_error: 0 });
      expect(await run.state()).toBe('closed');
    },
  );
});
