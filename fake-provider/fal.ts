import { randomUUID } from 'node:crypto';
import { errorReply } from './errors.js';
import { DEFAULT_TEXT, fakeId, jsonReply, type Reply } from './reply.js';
import type { AnswerInput } from './request-body.js';
import { falAppBase, type ResolvedRoute } from './routes.js';

interface QueuedRequest {
  readonly app: string;
  polls: number;
  cancelled: boolean;
}

// Enough for any test or demo; the oldest entries go first so memory stays bounded.
const MAX_QUEUED = 1000;

/** What a fal app returns: an image-generation-like output, the most common fal workload. */
function output(baseUrl: string, text: string): Record<string, unknown> {
  return {
    images: [{ url: `${baseUrl}/files/fake.png`, width: 1024, height: 1024, content_type: 'image/png' }],
    timings: { inference: 0.01 },
    seed: 42,
    has_nsfw_concepts: [false],
    prompt: text,
  };
}

/**
 * fal.run (synchronous) and queue.fal.run state. Each submitted request answers `IN_PROGRESS`
 * to its first `pendingPolls` status calls, then `COMPLETED`.
 */
export class FalQueue {
  readonly #requests = new Map<string, QueuedRequest>();

  constructor(
    private readonly baseUrl: string,
    private readonly pendingPolls: number,
  ) {}

  clear(): void {
    this.#requests.clear();
  }

  answer(route: ResolvedRoute, input: AnswerInput): Reply {
    const app = route.falApp ?? '';
    const text = input.text ?? DEFAULT_TEXT;
    switch (route.route) {
      case 'fal.run':
        return jsonReply(200, output(this.baseUrl, text), {
          'x-fal-request-id': fakeId(''),
          ...input.headers,
        });
      case 'fal.submit':
        return this.#submit(app, input.headers);
      case 'fal.status':
      case 'fal.result':
      case 'fal.cancel':
        return this.#operate(route, app, text, input.headers);
      default:
        return errorReply('fal', { status: 404, message: 'Not Found' });
    }
  }

  #urls(app: string, id: string): Record<string, string> {
    const base = `${this.baseUrl}/queue/${falAppBase(app)}/requests/${id}`;
    return { response_url: base, status_url: `${base}/status`, cancel_url: `${base}/cancel` };
  }

  #submit(app: string, headers: Record<string, string>): Reply {
    const id = randomUUID();
    this.#requests.set(id, { app, polls: 0, cancelled: false });
    if (this.#requests.size > MAX_QUEUED) {
      const oldest = this.#requests.keys().next().value;
      if (oldest !== undefined) this.#requests.delete(oldest);
    }
    return jsonReply(
      200,
      { status: 'IN_QUEUE', request_id: id, ...this.#urls(app, id), queue_position: 0 },
      { 'x-fal-request-id': id, ...headers },
    );
  }

  #operate(route: ResolvedRoute, app: string, text: string, headers: Record<string, string>): Reply {
    const id = route.falRequestId ?? '';
    const entry = this.#requests.get(id);
    if (!entry) return errorReply('fal', { status: 404, message: `Request ${id} not found` });
    const common = { 'x-fal-request-id': id, ...headers };
    if (route.route === 'fal.cancel') {
      const done = entry.polls > this.pendingPolls;
      if (!done) entry.cancelled = true;
      return jsonReply(
        done ? 400 : 202,
        { status: done ? 'ALREADY_COMPLETED' : 'CANCELLATION_REQUESTED' },
        common,
      );
    }
    if (route.route === 'fal.status') {
      entry.polls++;
      const completed = entry.polls > this.pendingPolls;
      const status = completed ? 'COMPLETED' : 'IN_PROGRESS';
      const metrics = completed ? { metrics: { inference_time: 0.01 } } : {};
      return jsonReply(200, { status, request_id: id, ...this.#urls(app, id), logs: [], ...metrics }, common);
    }
    if (entry.cancelled) return errorReply('fal', { status: 400, message: 'Request was cancelled' });
    if (entry.polls <= this.pendingPolls && this.pendingPolls > 0) {
      return errorReply('fal', { status: 400, message: 'Request is still in progress' });
    }
    return jsonReply(200, output(this.baseUrl, text), common);
  }
}
