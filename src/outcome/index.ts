export {
  type ClassifyInput,
  classify,
  type HeaderRecord,
  type HeaderSource,
  headersFromRecord,
  type RawHeaders,
  SUCCESS_CLASSIFICATION,
} from './classify.js';
export {
  type Classification,
  DEFAULT_TRIPPING_OUTCOMES,
  isOutcome,
  OUTCOME_INDEX,
  OUTCOMES,
  type Outcome,
  UNCOUNTED_OUTCOMES,
} from './outcome.js';
export {
  MAX_RETRY_AFTER_MS,
  parseRetryAfter,
  parseRetryAfterMs,
  retryAfterMsFromHeaders,
} from './retry-after.js';
export { type BodyRule, DEFAULT_RULES, type OutcomeRules } from './rules.js';
