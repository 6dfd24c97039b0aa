import { type FakeProvider, type Flavor, startFakeProvider } from '../../../fake-provider/index.js';

/** One fake server of a set: its wire format, and the plugin's provider for its hosts (none: no provider). */
export interface FakeSpec {
  flavor: Flavor;
  /** A provider name or alias; both of the fake's listeners (HTTP/1.1 and HTTP/2) are its hosts. */
  provider?: string;
}

/** One fake per provider (a provider is a host:port) and one loopback server that is no provider. */
export const DEFAULT_FAKES = {
  openai: { flavor: 'openai', provider: 'openai' },
  anthropic: { flavor: 'anthropic', provider: 'anthropic' },
  fal: { flavor: 'fal', provider: 'fal' },
  other: { flavor: 'openai' },
} as const satisfies Record<string, FakeSpec>;

export type FakeKey = keyof typeof DEFAULT_FAKES;
export type Fakes<K extends string = FakeKey> = Record<K, FakeProvider>;

export async function startFakeSet<K extends string>(specs: Record<K, FakeSpec>): Promise<Fakes<K>> {
  const keys = Object.keys(specs) as K[];
  const started = await Promise.all(keys.map((key) => startFakeProvider({ flavor: specs[key].flavor })));
  return Object.fromEntries(keys.map((key, i) => [key, started[i]])) as Fakes<K>;
}

export function startFakes(): Promise<Fakes> {
  return startFakeSet(DEFAULT_FAKES);
}

export async function closeFakes(fakes: Partial<Record<string, FakeProvider>> | undefined): Promise<void> {
  if (fakes === undefined) return;
  await Promise.all(Object.values(fakes).map((fake) => fake?.close()));
}

/** `FAKE_<KEY>_URL` and `FAKE_<KEY>_H2_URL`: where the child's clients find each fake. */
export function fakeUrlVariable(key: string, listener: 'url' | 'h2Url' = 'url'): string {
  const name = key.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  return `FAKE_${name}_${listener === 'url' ? 'URL' : 'H2_URL'}`;
}

/**
 * The child's environment for a fake set: the provider mapping (both listeners of each
 * provider's fake), each fake's URLs, and a recovery timeout long enough that a circuit a test
 * trips stays open for the rest of that test, however slow the machine is.
 */
export function fakeSetEnv<K extends string>(
  fakes: Fakes<K>,
  specs: Record<K, FakeSpec>,
  extra: Record<string, string> = {},
): Record<string, string> {
  const host = (url: string) => new URL(url).host;
  const providers: string[] = [];
  const urls: Record<string, string> = {};
  for (const key of Object.keys(specs) as K[]) {
    const fake = fakes[key];
    const provider = specs[key].provider;
    if (provider !== undefined)
      providers.push(`${provider}=${host(fake.url)}`, `${provider}=${host(fake.h2Url)}`);
    urls[fakeUrlVariable(key)] = fake.url;
    urls[fakeUrlVariable(key, 'h2Url')] = fake.h2Url;
  }
  return {
    PROVIDER_HEALTH_PROVIDERS: providers.join(','),
    PROVIDER_HEALTH_FAILURE_THRESHOLD: '5',
    PROVIDER_HEALTH_SUCCESS_THRESHOLD: '3',
    PROVIDER_HEALTH_RECOVERY_TIMEOUT: `${HELD_OPEN_MS}ms`,
    ...urls,
    ...extra,
  };
}

/** The child's environment for the default set. */
export function fakeEnv(fakes: Fakes, extra: Record<string, string> = {}): Record<string, string> {
  return fakeSetEnv(fakes, DEFAULT_FAKES, extra);
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
