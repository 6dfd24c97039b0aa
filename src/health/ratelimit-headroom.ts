import type { HeaderSource } from '../outcome/headers.js';

export type RatelimitKind = 'requests' | 'tokens';

// OpenAI-style first, then Anthropic's: [remaining, limit] for requests, then for tokens.
const HEADERS: readonly (readonly [string, string, string, string])[] = [
  [
    'x-ratelimit-remaining-requests',
    'x-ratelimit-limit-requests',
    'x-ratelimit-remaining-tokens',
    'x-ratelimit-limit-tokens',
  ],
  [
    'anthropic-ratelimit-requests-remaining',
    'anthropic-ratelimit-requests-limit',
    'anthropic-ratelimit-tokens-remaining',
    'anthropic-ratelimit-tokens-limit',
  ],
];

// Headroom headers are read from at most one response a second per provider: fresh enough for a
// gauge scraped every few seconds, and nearly free on the hot path.
const SAMPLE_EVERY_MS = 1000;

/**
 * The rate-limit headroom a provider's response headers announced (`x-ratelimit-*`,
 * `anthropic-ratelimit-*`), for the `ai_provider.ratelimit.*` gauges. Part of the provider's
 * stats, so the CommonJS and ESM copies of the plugin see one value.
 */
export class RatelimitHeadroom {
  /** remaining requests, limit requests, remaining tokens, limit tokens; NaN: never seen. */
  private values: Float64Array | undefined;
  private sampledAt = Number.NEGATIVE_INFINITY;

  /** Whether a response at `now` should have its headers read (at most once a second). */
  due(now: number): boolean {
    return now - this.sampledAt >= SAMPLE_EVERY_MS;
  }

  /** Reads at most eight headers; never throws. */
  sample(now: number, headers: HeaderSource): void {
    this.sampledAt = now;
    try {
      for (const names of HEADERS) {
        let found = false;
        for (let i = 0; i < 4; i++) {
          const value = parseCount(headers.get(names[i] as string));
          if (value === undefined) continue;
          this.values ??= new Float64Array(4).fill(Number.NaN);
          this.values[i] = value;
          found = true;
        }
        if (found) return;
      }
    } catch {
      // Hostile header objects must not break the request; the gauge just keeps its last value.
    }
  }

  /** Last announced value for one kind, or undefined when the provider never sent it. */
  value(kind: RatelimitKind, which: 'remaining' | 'limit'): number | undefined {
    const value = this.values?.[(kind === 'tokens' ? 2 : 0) + (which === 'remaining' ? 0 : 1)];
    return value === undefined || Number.isNaN(value) ? undefined : value;
  }
}

function parseCount(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) && number >= 0 ? number : undefined;
}
