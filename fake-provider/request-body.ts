/** What an answer builder needs from the request and the behaviour. */
export interface AnswerInput {
  /** Parsed JSON body, or undefined. */
  readonly body: unknown;
  readonly stream: boolean;
  /** Text override from the behaviour. */
  readonly text: string | undefined;
  /** Extra headers from the behaviour. */
  readonly headers: Record<string, string>;
}

/** A member of a JSON object body; undefined for anything else. */
export function field(body: unknown, name: string): unknown {
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
}

/** The model the caller asked for, echoed back like the real APIs do. */
export function modelOf(body: unknown, fallback: string): string {
  const model = field(body, 'model');
  return typeof model === 'string' ? model : fallback;
}
