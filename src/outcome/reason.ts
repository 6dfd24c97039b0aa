/** Longest provider type/code (or error code) copied into a reason. */
const MAX_LABEL_CHARS = 100;

/**
 * A provider- or caller-supplied token made fit for one log line: word characters and a few
 * separators only, so no newlines, quotes or markup reach a log, and never more than 100 chars.
 */
export function safeLabel(value: string): string {
  return value
    .slice(0, MAX_LABEL_CHARS * 2)
    .replace(/[^\w.:/-]+/g, '_')
    .slice(0, MAX_LABEL_CHARS);
}
