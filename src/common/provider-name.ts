/**
 * Provider names appear in metric labels, URLs (/health/providers/{name}), env entries and log
 * lines: a safe alphabet. OTel's own names (`gcp.gemini`, `aws.bedrock`) need the dot.
 */
export const PROVIDER_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export const PROVIDER_NAME_ACCEPTED =
  'a provider name of lowercase letters, digits, ".", "_" or "-", starting with a letter or digit, at most 64 characters';

export function isProviderName(value: unknown): value is string {
  return typeof value === 'string' && PROVIDER_NAME_PATTERN.test(value);
}
