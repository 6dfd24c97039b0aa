/**
 * A mistake in the command line or the config file. The CLI prints its message and exits with
 * status 2; the message names the option, the value given and what is accepted.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** `--flag value: what is wrong; accepted: …` (the one shape of every option error). */
export function badValue(option: string, value: unknown, accepted: string): UsageError {
  const shown = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return new UsageError(`${option} ${shown}: ${accepted}`);
}
