/**
 * `runbook_url` of every alert: a pattern with `%s` for the alert name in lower case, as the
 * monitoring mixins' `runbookURLPattern` (kubernetes-mixin, node-mixin) has it. Lower case is
 * also the anchor GitHub gives a `## AiProviderCircuitOpen` heading in docs/runbooks.md.
 */
import { badValue } from './usage-error.js';

/**
 * docs/runbooks.md of the published repository. The package has no `repository` field yet: keep
 * this in step with it (README.md, "Dashboards and alerts", says how to point elsewhere).
 */
export const DEFAULT_RUNBOOK_URL =
  'https://github.com/provider-health/provider-health/blob/main/docs/runbooks.md#%s';

export const RUNBOOK_PLACEHOLDER = '%s';

const ACCEPTED = `an absolute http(s) URL with ${RUNBOOK_PLACEHOLDER} once, where the alert name goes (in lower case), such as https://runbooks.example.com/provider-health#${RUNBOOK_PLACEHOLDER}`;

export function runbookUrl(pattern: string, alert: string): string {
  return pattern.replace(RUNBOOK_PLACEHOLDER, alert.toLowerCase());
}

export function parseRunbookUrl(option: string, value: unknown): string {
  if (typeof value !== 'string' || value.split(RUNBOOK_PLACEHOLDER).length !== 2)
    throw badValue(option, value, ACCEPTED);
  let url: URL;
  try {
    url = new URL(runbookUrl(value, 'AiProviderCircuitOpen'));
  } catch {
    throw badValue(option, value, ACCEPTED);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw badValue(option, value, ACCEPTED);
  return value;
}
