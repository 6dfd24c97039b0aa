import { createInterface } from 'node:readline';

export type Args = Record<string, unknown>;
export type Command = (args: Args) => unknown;

/** What the parent needs to know about an error, as plain JSON. */
export interface ErrorInfo {
  name: string;
  /** The error's class (openai's error classes all have the name "Error"). */
  type?: string;
  message: string;
  code?: string;
  status?: number;
  cause?: ErrorInfo;
  provider?: string;
  retryAfterMs?: number;
  /** The parsed error body an SDK attached (fal: `body`; openai and anthropic: `error`). */
  body?: unknown;
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

export function errorInfo(error: unknown, depth = 0): ErrorInfo {
  const info: ErrorInfo = {
    name: String(field(error, 'name') ?? typeof error),
    message: String(field(error, 'message') ?? error),
  };
  const type = (field(error, 'constructor') as { name?: unknown } | undefined)?.name;
  if (typeof type === 'string' && type !== info.name) info.type = type;
  const code = field(error, 'code');
  if (typeof code === 'string') info.code = code;
  const status = field(error, 'status');
  if (typeof status === 'number') info.status = status;
  const provider = field(error, 'provider');
  if (typeof provider === 'string') info.provider = provider;
  const retryAfterMs = field(error, 'retryAfterMs');
  if (typeof retryAfterMs === 'number') info.retryAfterMs = retryAfterMs;
  const body = field(error, 'body') ?? field(error, 'error');
  if (typeof body === 'object' && body !== null) info.body = body;
  const cause = field(error, 'cause');
  if (cause !== undefined && depth < 3) info.cause = errorInfo(cause, depth + 1);
  return info;
}

/**
 * The child's side of ChildSession: one JSON command a line on stdin, one JSON reply a line on
 * stdout. Commands run one at a time, in order, so the parent can interleave fake-server changes.
 */
export function serve(commands: Record<string, Command>): void {
  const lines = createInterface({ input: process.stdin });
  let queue = Promise.resolve();
  lines.on('line', (line) => {
    const { id, command, args } = JSON.parse(line) as { id: number; command: string; args: Args };
    queue = queue.then(async () => {
      const run = commands[command];
      try {
        if (run === undefined) throw new Error(`unknown command ${command}`);
        const result = await run(args);
        process.stdout.write(`${JSON.stringify({ id, ok: true, result: result ?? null })}\n`);
      } catch (error) {
        process.stdout.write(
          `${JSON.stringify({ id, ok: false, error: JSON.stringify(errorInfo(error)) })}\n`,
        );
      }
    });
  });
  // Keep-alive sockets must not hold the child after the parent is done with it.
  lines.on('close', () => void queue.then(() => process.exit(0)));
}

export function str(args: Args, key: string): string {
  const value = args[key];
  if (typeof value !== 'string') throw new TypeError(`argument ${key} must be a string`);
  return value;
}

export function num(args: Args, key: string, fallback?: number): number {
  const value = args[key] ?? fallback;
  if (typeof value !== 'number') throw new TypeError(`argument ${key} must be a number`);
  return value;
}

export function env(name: string): string {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
}
