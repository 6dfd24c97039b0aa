import type { Outcome } from './outcome.js';

/** An extra match over a small error body, for provider wording the built-in rules do not know. */
export interface BodyRule {
  /** Substring of the response body, compared case-insensitively. */
  contains: string;
  outcome: Outcome;
  /**
   * Only responses with one of these statuses.
   * @default every status from 400 up
   */
  statuses?: readonly number[];
}

/**
 * Per-provider adjustments to classification. The built-in knowledge of OpenAI, Anthropic and
 * fal.ai always applies; these rules come first and win where they match.
 */
export interface OutcomeRules {
  /** Outcome for a status, whatever the headers and body say (e.g. `{ 404: 'provider_error' }`). */
  statusOverrides?: Readonly<Record<number, Outcome>>;
  /** Checked in order on error responses whose body was passed in; the first match wins. */
  bodyRules?: readonly BodyRule[];
  /** Outcome for an error `code` (or `name`) anywhere in the cause chain (e.g. `{ EAI_AGAIN: 'timeout' }`). */
  errorCodeOverrides?: Readonly<Record<string, Outcome>>;
}

/** No overrides: the built-in table of docs/design.md ("Outcomes"). */
export const DEFAULT_RULES: Readonly<OutcomeRules> = Object.freeze({});
