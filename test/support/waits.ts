/**
 * How long a test waits for something that happens on its own (a timer, a listener, a child
 * process, a server starting) before calling it a hang. Not a timed assertion: on a busy machine
 * things only take longer, so it is generous, and a passing test never waits this long.
 */
export const HANG_MS = 20_000;

/** vi.waitFor options with that deadline. */
export const EVENTUALLY = { timeout: HANG_MS, interval: 25 } as const;
