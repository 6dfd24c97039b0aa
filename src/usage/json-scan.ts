/**
 * Finding one member of a JSON text without parsing the whole text: the text may be cut at
 * either end (a head or a tail of a large body) or be a binary frame around JSON (Bedrock's event
 * stream). A member is trusted only where it is a key: preceded by `{` or `,`, followed by `:`.
 * Quotes inside string values are escaped (`\"usage\"`), so text a model wrote never matches.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = 0x7b;
const CLOSE = 0x7d;
const COLON = 0x3a;
const COMMA = 0x2c;

/** Largest object `objectAfterKey` returns: usage objects are a few hundred bytes. */
export const MAX_OBJECT_BYTES = 4096;
const MAX_CANDIDATES = 16;

function isSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/** `"name"` as the bytes a search looks for. */
export function keyNeedle(name: string): Buffer {
  return Buffer.from(`"${name}"`, 'latin1');
}

/** Where the value of the key whose needle starts at `at` begins, or -1 if that is not a key. */
function valueStart(text: Uint8Array, at: number, needleLength: number, end: number): number {
  let before = at - 1;
  while (before >= 0 && isSpace(text[before])) before--;
  // At the very start of a cut text there is nothing before it to check.
  if (before >= 0 && text[before] !== OPEN && text[before] !== COMMA) return -1;
  let after = at + needleLength;
  while (after < end && isSpace(text[after])) after++;
  if (text[after] !== COLON) return -1;
  after++;
  while (after < end && isSpace(text[after])) after++;
  return after < end ? after : -1;
}

/** The end (exclusive) of the object starting at `start`, or -1 if it is cut off or too large. */
function objectEnd(text: Uint8Array, start: number, end: number): number {
  let depth = 0;
  let inString = false;
  const limit = Math.min(end, start + MAX_OBJECT_BYTES);
  for (let i = start; i < limit; i++) {
    const byte = text[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (byte === OPEN) depth++;
    else if (byte === CLOSE && --depth === 0) return i + 1;
  }
  return -1;
}

/**
 * The object value of the last `needle` key in `text[start, end)` whose object is whole, parsed;
 * undefined when there is none (a key with `null`, an object cut off by the end of the text).
 */
export function lastObjectAt(
  text: Buffer,
  needle: Buffer,
  start = 0,
  end = text.length,
): Record<string, unknown> | undefined {
  let from = end - needle.length;
  for (let tries = 0; tries < MAX_CANDIDATES && from >= start; tries++) {
    const at = text.lastIndexOf(needle, from);
    if (at < start) return undefined;
    from = at - 1;
    const value = valueStart(text, at, needle.length, end);
    if (value < 0 || text[value] !== OPEN) continue;
    const close = objectEnd(text, value, end);
    if (close < 0) continue;
    try {
      const parsed: unknown = JSON.parse(text.toString('utf8', value, close));
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
        return parsed as Record<string, unknown>;
    } catch {
      // Not JSON after all (a binary frame that happened to look like it): try an earlier one.
    }
  }
  return undefined;
}

const MAX_STRING_BYTES = 128;

/** The string value of the first `needle` key in `text[start, end)`: a model name (short, no escapes). */
export function firstStringAt(
  text: Buffer,
  needle: Buffer,
  start = 0,
  end = text.length,
): string | undefined {
  let from = start;
  for (let tries = 0; tries < MAX_CANDIDATES; tries++) {
    const at = text.indexOf(needle, from);
    if (at < 0 || at + needle.length > end) return undefined;
    from = at + needle.length;
    const value = valueStart(text, at, needle.length, end);
    if (value < 0 || text[value] !== QUOTE) continue;
    const limit = Math.min(end, value + 1 + MAX_STRING_BYTES + 1);
    for (let i = value + 1; i < limit; i++) {
      const byte = text[i];
      if (byte === BACKSLASH || (byte as number) < 0x20) break;
      if (byte === QUOTE) return i === value + 1 ? undefined : text.toString('utf8', value + 1, i);
    }
  }
  return undefined;
}
