/**
 * Alert thresholds, in one place because the alerts, their promtool tests, the runbooks and the
 * dashboards' threshold lines all quote them.
 */
export const THRESHOLDS = {
  /** Open longer than one recovery timeout (60 s) plus a failed trial: not a blip. */
  circuitOpenFor: '2m',
  /** Share of a service's instances whose circuit for one provider is not closed. */
  mostInstancesShare: 0.5,
  /** Trips (closed -> open) within `flappingWindow` that count as flapping. */
  flappingTrips: 3,
  flappingWindow: '30m',
  /** Failure ratio over 5 minutes that warns while the breaker still lets traffic through. */
  failureRatio: 0.1,
  /** Requests per second below which ratios and quantiles are too noisy to alert on (15 in 5 min). */
  minRequestRate: 0.05,
  /** Share of requests answered 429 over 5 minutes. */
  rateLimitedRatio: 0.05,
  /** TTFB p95 over 5 minutes above this multiple of the past day's p95 (ending an hour ago)… */
  latencyFactor: 2,
  /** …and above this many seconds, so 20 ms -> 50 ms does not page anyone. */
  latencyFloorSeconds: 1,
} as const;

/**
 * Where `runbook_url` points. Relative to the repository root because the project has no
 * published URL yet; change it here once it does and regenerate.
 */
export const RUNBOOK_DOC = 'docs/runbooks.md';

/** GitHub's anchor for a `## Heading`: lower case, spaces to dashes. */
export function runbookAnchor(alertName: string): string {
  return alertName.toLowerCase().replace(/\s+/g, '-');
}

export function runbookUrl(alertName: string): string {
  return `${RUNBOOK_DOC}#${runbookAnchor(alertName)}`;
}
