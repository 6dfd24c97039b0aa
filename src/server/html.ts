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

/** `42 s`, `22m 05s`: a countdown readable at a glance. */
export const countdown = (seconds: number): string => {
  const whole = Math.max(0, Math.ceil(seconds));
  if (whole < 60) return `${whole} s`;
  return `${Math.floor(whole / 60)}m ${String(whole % 60).padStart(2, '0')}s`;
};
