import { ApiError, createFalClient, ValidationError } from '@fal-ai/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProvider, falRequestMiddleware, startFakeProvider } from '../../fake-provider/index.js';

describe('fake provider with the official fal client', () => {
  let fake: FakeProvider;
  let fal: ReturnType<typeof createFalClient>;

  beforeAll(async () => {
    // One IN_PROGRESS poll before COMPLETED, so subscribe really polls.
    fake = await startFakeProvider({ flavor: 'fal', falPendingPolls: 1 });
    fal = createFalClient({ credentials: 'test', requestMiddleware: falRequestMiddleware(fake.url) });
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.close());

  it('runs an app synchronously (fal.run)', async () => {
    const result = await fal.run('fal-ai/flux/dev', { input: { prompt: 'a cat' } });
    expect(result.data).toMatchObject({ images: [{ content_type: 'image/png' }] });
    expect(result.requestId).not.toBe('');
    expect(fake.requests[0]).toMatchObject({ method: 'POST', path: '/fal-ai/flux/dev', route: 'fal.run' });
    expect(fake.requests[0]?.headers.authorization).toBe('Key test');
  });

  it('subscribes through the queue: submit, status polls, result', async () => {
    const updates: string[] = [];
    const result = await fal.subscribe('fal-ai/flux/dev', {
      input: { prompt: 'a cat' },
      pollInterval: 10,
      onQueueUpdate: (update) => updates.push(update.status),
    });
    expect(result.data).toMatchObject({ seed: 42 });
    expect(updates).toEqual(['IN_PROGRESS', 'COMPLETED']);
    const [submit, ...rest] = fake.requests;
    expect(submit).toMatchObject({ method: 'POST', path: '/fal-ai/flux/dev', route: 'fal.submit' });
    expect(rest.map((r) => r.route)).toEqual(['fal.status', 'fal.status', 'fal.result']);
    expect(rest[0]?.path).toBe(`/fal-ai/flux/requests/${result.requestId}/status?logs=0`);
  });

  it('also works through proxyUrl (x-fal-target-url)', async () => {
    const proxied = createFalClient({ credentials: 'test', proxyUrl: { url: fake.url, when: 'always' } });
    const result = await proxied.subscribe('fal-ai/fast-sdxl', { input: { prompt: 'x' }, pollInterval: 10 });
    expect(result.data).toMatchObject({ seed: 42 });
    expect(fake.requests.map((r) => r.route)).toEqual([
      'fal.submit',
      'fal.status',
      'fal.status',
      'fal.result',
    ]);
  });

  it('surfaces errors as ApiError with the fal body and X-Fal-Error-Type', async () => {
    fake.script([{ status: 500 }]);
    const error = await fal.run('fal-ai/flux/dev', { input: { prompt: 'x' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 500,
      body: { detail: 'Internal error', error_type: 'internal_error' },
    });
    const raw = await fetch(`${fake.url}/fal-ai/flux`, { method: 'POST', body: '{}' });
    expect(raw.status).toBe(200);
    fake.script([{ status: 504 }]);
    const timeout = await fetch(`${fake.url}/fal-ai/flux`, { method: 'POST', body: '{}' });
    expect(timeout.headers.get('x-fal-error-type')).toBe('request_timeout');
    expect(await timeout.json()).toEqual({ detail: 'Request timed out', error_type: 'request_timeout' });
  });

  it('maps 422 to ValidationError', async () => {
    fake.script([
      { status: 422, body: { detail: [{ loc: ['body', 'prompt'], msg: 'required', type: 'missing' }] } },
    ]);
    const error = await fal.run('fal-ai/flux/dev', { input: { prompt: 'x' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).getFieldErrors('prompt')).toHaveLength(1);
  });

  it('fal.run retries a 503 by itself (its own retry options win over the client config)', async () => {
    const noRetries = createFalClient({
      credentials: 'test',
      requestMiddleware: falRequestMiddleware(fake.url),
      retry: { maxRetries: 0 },
    });
    fake.script([{ status: 503 }]);
    const result = await noRetries.run('fal-ai/flux/dev', { input: { prompt: 'x' } });
    expect(result.data).toMatchObject({ seed: 42 });
    expect(fake.requests.map((r) => r.behaviour)).toEqual(['error', 'ok']);
  });

  it('cancels a queued request', async () => {
    const { request_id } = await fal.queue.submit('fal-ai/flux/dev', { input: { prompt: 'x' } });
    await fal.queue.cancel('fal-ai/flux/dev', { requestId: request_id });
    expect(fake.requests.at(-1)).toMatchObject({ method: 'PUT', route: 'fal.cancel' });
  });
});
