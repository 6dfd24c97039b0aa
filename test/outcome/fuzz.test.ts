import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ClassifyInput,
  classify,
  type HeaderSource,
  headersFromRecord,
} from '../../src/outcome/classify.js';
import { isOutcome, OUTCOMES } from '../../src/outcome/outcome.js';
import { MAX_RETRY_AFTER_MS } from '../../src/outcome/retry-after.js';
import type { OutcomeRules } from '../../src/outcome/rules.js';

const CODES = [
  'ECONNREFUSED',
  'ETIMEDOUT',
  'ABORT_ERR',
  'UND_ERR_SOCKET',
  'ERR_TLS_X',
  'ERR_CIRCUIT_OPEN',
  'HPE_X',
];
const NAMES = [
  'AbortError',
  'TimeoutError',
  'TypeError',
  'Error',
  'APIConnectionError',
  'constructor',
  '__proto__',
];

/** Error-like graphs: codes and names that matter, nested causes and aggregates, plus junk. */
const errorLike = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    fc.anything(),
    fc.record(
      {
        code: fc.oneof(fc.constantFrom(...CODES), fc.string(), fc.integer()),
        name: fc.oneof(fc.constantFrom(...NAMES), fc.string()),
        cause: tie('node'),
        errors: fc.array(tie('node'), { maxLength: 6 }),
        status: fc.oneof(fc.integer({ min: -1, max: 1000 }), fc.double()),
        error: fc.anything(),
        body: fc.oneof(fc.string(), fc.json()),
        response: fc.anything(),
      },
      { requiredKeys: [] },
    ),
  ),
})).node;

const providerBody = fc.oneof(
  fc.string(),
  fc.json(),
  fc
    .record({ error: fc.record({ type: fc.string(), code: fc.string(), message: fc.string() }) })
    .map((b) => JSON.stringify(b)),
  fc
    .record({ detail: fc.oneof(fc.string(), fc.array(fc.anything())), error_type: fc.string() })
    .map((b) => JSON.stringify(b)),
  fc.string().map((s) => `{"error": ${s}`),
);

const headerSource: fc.Arbitrary<HeaderSource | undefined> = fc.oneof(
  fc.constant(undefined),
  fc
    .dictionary(fc.constantFrom('retry-after', 'retry-after-ms', 'x-fal-error-type'), fc.string())
    .map((d) => new Headers(d)),
  fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.array(fc.string()))).map((d) => headersFromRecord(d)),
  fc.array(fc.oneof(fc.string(), fc.uint8Array())).map((raw) => headersFromRecord(raw)),
  fc.constant({
    get(): string {
      throw new Error('hostile header source');
    },
  }),
);

const rules: fc.Arbitrary<OutcomeRules | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.record(
    {
      statusOverrides: fc.dictionary(
        fc.integer({ min: 100, max: 999 }).map(String),
        fc.oneof(fc.constantFrom(...OUTCOMES), fc.string()),
      ),
      bodyRules: fc.array(
        fc.record({
          contains: fc.string(),
          outcome: fc.oneof(fc.constantFrom(...OUTCOMES), fc.string()),
          statuses: fc.anything(),
        }),
      ),
      errorCodeOverrides: fc.dictionary(fc.string(), fc.oneof(fc.constantFrom(...OUTCOMES), fc.string())),
    },
    { requiredKeys: [] },
  ) as fc.Arbitrary<OutcomeRules>,
);

const input: fc.Arbitrary<ClassifyInput> = fc.record(
  {
    status: fc.oneof(
      fc.integer({ min: 0, max: 1000 }),
      fc.constantFrom(200, 400, 402, 403, 429, 503, 529),
      fc.double(),
    ),
    headers: headerSource,
    body: providerBody,
    error: errorLike,
    now: fc.oneof(fc.integer(), fc.double()),
    aborted: fc.anything(),
  },
  { requiredKeys: [] },
) as fc.Arbitrary<ClassifyInput>;

function assertWellFormed(result: ReturnType<typeof classify>): void {
  expect(isOutcome(result.outcome)).toBe(true);
  expect(typeof result.reason).toBe('string');
  // one short log line
  expect(result.reason.length).toBeLessThanOrEqual(200);
  expect(result.reason).not.toMatch(/[\r\n"<>]/);
  if (result.retryAfterMs !== undefined) {
    expect(Number.isInteger(result.retryAfterMs)).toBe(true);
    expect(result.retryAfterMs).toBeGreaterThanOrEqual(0);
    expect(result.retryAfterMs).toBeLessThanOrEqual(MAX_RETRY_AFTER_MS);
  }
}

describe('classify never throws', () => {
  it('on structured arbitrary input and rules', () => {
    fc.assert(
      fc.property(input, rules, (value, rule) => assertWellFormed(classify(value, rule))),
      { numRuns: 3000 },
    );
  });

  it('on anything at all in place of input and rules', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (value, rule) =>
        assertWellFormed(classify(value as ClassifyInput, rule as OutcomeRules)),
      ),
      { numRuns: 2000 },
    );
  });

  it('on hostile objects: throwing getters and proxies', () => {
    const throwing = new Proxy(
      {},
      {
        get() {
          throw new Error('boom');
        },
      },
    );
    const getter = Object.defineProperty(new Error('x'), 'code', {
      get() {
        throw new Error('boom');
      },
    });
    for (const value of [
      throwing,
      { error: throwing },
      { error: getter },
      { status: 429, headers: throwing },
    ]) {
      assertWellFormed(classify(value as ClassifyInput));
    }
    assertWellFormed(classify({ status: 500 }, throwing as OutcomeRules));
  });

  it('reaches the catch-all only for hostile input, not through its own bugs', () => {
    const friendlyHeaders = headerSource.filter((h) => h === undefined || !String(h.get).includes('hostile'));
    const friendly = fc.record(
      {
        status: fc.integer({ min: 0, max: 1000 }),
        headers: friendlyHeaders,
        body: providerBody,
        error: errorLike,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(friendly, rules, (value, rule) => {
        expect(classify(value as ClassifyInput, rule).reason).not.toContain('unclassifiable');
      }),
      { numRuns: 3000 },
    );
  });

  it('never copies body text into the reason', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(400, 403, 429, 500, 529),
        fc.string({ minLength: 1 }).map((s) => `SECRET${s}`),
        (status, secret) => {
          const body = JSON.stringify({ type: 'error', error: { type: 'api_error', message: secret } });
          expect(classify({ status, body }).reason).not.toContain('SECRET');
        },
      ),
    );
  });
});
