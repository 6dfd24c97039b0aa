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

/**
 * An endpoint of a provider (a region, a deployment) is addressed as `provider@key`:
 * `aws.bedrock@us-east-1`, `azure.ai.openai@my-resource`. Keys use the same alphabet.
 */
export const ENDPOINT_KEY_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;
export const QUALIFIED_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}(?:@[a-z0-9][a-z0-9._-]{0,63})?$/;

/** A provider's or an endpoint's name (`openai`, `aws.bedrock@us-east-1`): what a breaker is called. */
export function isQualifiedName(value: unknown): value is string {
  return typeof value === 'string' && QUALIFIED_NAME_PATTERN.test(value);
}

/** `{ provider, endpoint }` of `provider@endpoint`, or just the provider. */
export function splitEndpointName(name: string): { provider: string; endpoint: string | undefined } {
  const at = name.indexOf('@');
  return at < 0
    ? { provider: name, endpoint: undefined }
    : { provider: name.slice(0, at), endpoint: name.slice(at + 1) };
}
