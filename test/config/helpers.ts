import { expect } from 'vitest';
import { type ConfigError, isConfigError } from '../../src/config/index.js';

/** Runs `fn`, asserts it threw a ConfigError, and returns it for closer checks. */
export function configErrorFrom(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (isConfigError(error)) return error;
    throw new Error(`expected a ConfigError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected a ConfigError, but nothing was thrown');
}

/** The message must name the key, the value as given and what would be accepted. */
export function expectNamed(error: ConfigError, key: string, value: string, accepted: string): void {
  expect(error.key).toBe(key);
  expect(error.message).toContain(`${key}=${JSON.stringify(value)}`);
  expect(error.accepted).toContain(accepted);
  expect(error.message.endsWith(`: expected ${error.accepted}`)).toBe(true);
}
