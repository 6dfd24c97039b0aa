/** The shape @fal-ai/client passes through `requestMiddleware` (kept structural: no dependency). */
export interface FalRequestConfig {
  url: string;
  method: string;
  headers?: Record<string, string | string[]>;
}

const FAL_HOSTS = /^https:\/\/(queue\.)?fal\.run(?=\/|$)/;

/**
 * A `requestMiddleware` for @fal-ai/client that sends its fal.run calls to `${baseUrl}/…` and its
 * queue.fal.run calls to `${baseUrl}/queue/…`, where the fake serves the synchronous and queue
 * APIs. Other URLs (storage uploads, rest.fal.ai) pass unchanged.
 *
 *     createFalClient({ credentials: 'test', requestMiddleware: falRequestMiddleware(fake.url) })
 */
export function falRequestMiddleware(
  baseUrl: string,
): (request: FalRequestConfig) => Promise<FalRequestConfig> {
  const base = baseUrl.replace(/\/+$/, '');
  return (request) =>
    Promise.resolve({
      ...request,
      url: request.url.replace(FAL_HOSTS, (_match, queue: string | undefined) =>
        queue ? `${base}/queue` : base,
      ),
    });
}
