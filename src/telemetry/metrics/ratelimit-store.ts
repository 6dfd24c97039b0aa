import type { HeaderSource } from '../../outcome/headers.js';
import type { Provider } from '../../providers/provider.js';
import type { RATELIMIT_KIND_VALUES } from '../metric-names.js';

export type RatelimitKind = (typeof RATELIMIT_KIND_VALUES)[number];

/** Last seen values, by slot: remaining requests, limit requests, remaining tokens, limit tokens (NaN: never seen). */
type Slots = Float64Array;
const REMAINING = 0;
const LIMIT = 1;

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

/**
 * Keeps the rate-limit headroom a provider's response headers announced, for the
 * `ai_provider.ratelimit.*` gauges. The interceptors call it on response headers of a provider
 * request; it reads at most eight headers and never throws.
 */
export function noteRateLimitHeaders(provider: Provider, headers: HeaderSource): void {
  try {
    for (const names of HEADERS) {
      let slots: Slots | undefined;
      for (let i = 0; i < 4; i++) {
        const value = parseCount(headers.get(names[i] as string));
        if (value === undefined) continue;
        slots ??= slotsOf(provider);
        slots[i] = value;
      }
      if (slots !== undefined) return;
    }
  } catch {
    // Hostile header objects must not break the request; the gauge just keeps its last value.
  }
}

/** Last announced value for one kind, or undefined when the provider never sent it. */
export function ratelimitValue(
  provider: Provider,
  kind: RatelimitKind,
  which: 'remaining' | 'limit',
): number | undefined {
  const slots = provider.rateLimits;
  if (slots === undefined) return undefined;
  const value = slots[(kind === 'tokens' ? 2 : 0) + (which === 'remaining' ? REMAINING : LIMIT)] as number;
  return Number.isNaN(value) ? undefined : value;
}

// Kept on the provider, not in a module-level map: the preload (CommonJS) and an app's ESM import
// are two copies of this module, and a request observed by one must show in the other's gauges.
function slotsOf(provider: Provider): Slots {
  provider.rateLimits ??= new Float64Array(4).fill(Number.NaN);
  return provider.rateLimits;
}

function parseCount(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) && number >= 0 ? number : undefined;
}
