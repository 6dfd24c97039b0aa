const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

export const percent = (value: unknown): string =>
  typeof value === 'number' ? `${(value * 100).toFixed(1)}%` : '–';

export const millis = (seconds: unknown): string =>
  typeof seconds === 'number'
    ? seconds < 1
      ? `${Math.round(seconds * 1000)} ms`
      : `${seconds.toFixed(2)} s`
    : '–';

export const label = (value: string): string => value.replace('_', '-');
