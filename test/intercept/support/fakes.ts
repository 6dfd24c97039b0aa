import { type FakeProvider, startFakeProvider } from '../../../fake-provider/index.js';

/** One fake per provider (a provider is a host:port) and one loopback server that is no provider. */
export interface Fakes {
  openai: FakeProvider;
  anthropic: FakeProvider;
  fal: FakeProvider;
  other: FakeProvider;
}

export async function startFakes(): Promise<Fakes> {
  const [openai, anthropic, fal, other] = await Promise.all([
    startFakeProvider({ flavor: 'openai' }),
    startFakeProvider({ flavor: 'anthropic' }),
    startFakeProvider({ flavor: 'fal' }),
    startFakeProvider({ flavor: 'openai' }),
  ]);
  return { openai, anthropic, fal, other };
}

export async function closeFakes(fakes: Fakes | undefined): Promise<void> {
  if (fakes === undefined) return;
  await Promise.all(Object.values(fakes).map((fake: FakeProvider) => fake.close()));
}

/**
 * The child's environment: provider mapping, fake URLs, and a recovery timeout long enough that a
 * circuit a test trips stays open for the rest of that test, however slow the machine is.
 */
export function fakeEnv(fakes: Fakes, extra: Record<string, string> = {}): Record<string, string> {
  const host = (fake: FakeProvider) => new URL(fake.url).host;
  return {
    PROVIDER_HEALTH_PROVIDERS: `openai=${host(fakes.openai)},anthropic=${host(fakes.anthropic)},fal=${host(fakes.fal)}`,
    PROVIDER_HEALTH_FAILURE_THRESHOLD: '5',
    PROVIDER_HEALTH_SUCCESS_THRESHOLD: '3',
    PROVIDER_HEALTH_RECOVERY_TIMEOUT: `${HELD_OPEN_MS}ms`,
    FAKE_OPENAI_URL: fakes.openai.url,
    FAKE_ANTHROPIC_URL: fakes.anthropic.url,
    FAKE_FAL_URL: fakes.fal.url,
    FAKE_OTHER_URL: fakes.other.url,
    ...extra,
  };
}

/**
 * Open circuits stay open this long. A short recovery timeout raced the test on a loaded machine:
 * a few hundred ms between tripping and asserting "open" were enough to reach half-open, and the
 * next call went to the network as a trial. The lifecycle test sets a short one where it waits for it.
 */
export const HELD_OPEN_MS = 10 * 60_000;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
