import { ConfigError } from './config-error.js';

/** Own entries of a plain object (or one from JSON/YAML); anything else is a ConfigError. */
export function plainEntries(
  value: unknown,
  key: string,
  accepted: string,
  file?: string,
): [string, unknown][] {
  const proto = typeof value === 'object' && value !== null ? Object.getPrototypeOf(value) : undefined;
  if (proto !== Object.prototype && proto !== null) throw new ConfigError({ key, value, accepted, file });
  return Object.entries(value as object);
}

/** A typo in a key must fail loudly: otherwise the setting silently keeps its default. */
export function unknownKey(
  key: string,
  value: unknown,
  known: readonly string[],
  file?: string,
): ConfigError {
  const name = key.slice(key.lastIndexOf('.') + 1);
  const guess = known.find((candidate) => editDistance(candidate.toLowerCase(), name.toLowerCase()) <= 2);
  const hint = guess === undefined ? '' : ` (did you mean ${guess}?)`;
  return new ConfigError({
    key,
    value,
    accepted: `one of ${known.join(', ')}${hint}`,
    file,
    unknownKey: true,
  });
}

/** `providers.openai` or `providers["gcp.gemini"]`, so a dotted name does not read as nesting. */
export function childKey(parent: string, name: string): string {
  const segment = /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
  if (parent === '') return segment;
  return segment.startsWith('"') ? `${parent}[${segment}]` : `${parent}.${segment}`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
