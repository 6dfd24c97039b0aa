/** A fully built answer; `perform` decides how (and whether) its bytes reach the client. */
export interface Reply {
  readonly status: number;
  readonly headers: Record<string, string>;
  /** SSE: one event per chunk. JSON: the whole body as the single chunk. */
  readonly chunks: readonly string[];
  readonly sse: boolean;
}

export const DEFAULT_TEXT = 'Hello from the fake provider.';

export function jsonReply(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    chunks: [JSON.stringify(body)],
    sse: false,
  };
}

export function sseReply(chunks: readonly string[], headers: Record<string, string> = {}): Reply {
  return {
    status: 200,
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      ...headers,
    },
    chunks,
    sse: true,
  };
}

/** One SSE event; `event` is omitted for OpenAI chat completions, which send bare `data:` lines. */
export function sseEvent(data: unknown, event?: string): string {
  const payload = typeof data === 'string' ? data : JSON.stringify(data);
  return `${event === undefined ? '' : `event: ${event}\n`}data: ${payload}\n\n`;
}

/**
 * Stream deltas: each word keeps its leading space so the deltas concatenate back to `text`,
 * which lets tests compare the consumed stream with the text they asked for.
 */
export function deltas(text: string): string[] {
  const parts = text.match(/\s*\S+/g);
  return parts ?? [text];
}

/**
 * The body as it is written over time: SSE events as they are; a JSON body in `pieces`
 * slices so that slow bodies and resets mid-body also apply to answers that do not stream.
 */
export function bodyPieces(reply: Reply, pieces = 4): string[] {
  if (reply.sse) return [...reply.chunks];
  const body = reply.chunks.join('');
  const size = Math.max(1, Math.ceil(body.length / pieces));
  const out: string[] = [];
  for (let i = 0; i < body.length; i += size) out.push(body.slice(i, i + size));
  return out;
}

let counter = 0;

/** Unique-enough ids with the provider's prefix (`chatcmpl-`, `msg_`, `req_` …). */
export function fakeId(prefix: string): string {
  counter = (counter + 1) % 1_000_000;
  return `${prefix}${Date.now().toString(36)}${counter.toString(36).padStart(4, '0')}`;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
