/**
 * Origin lookup + admission with 10 vs 1,000 configured providers (exact hosts and wildcard
 * patterns), and the lookup of an origin that is no provider (the pass-through path).
 * Run: node --expose-gc --import tsx bench/core/lookup.ts
 */
import type { ProviderOptions } from '../../src/config/options.js';
import { resolveOptions } from '../../src/config/resolve.js';
import { ProviderRegistry } from '../../src/providers/registry.js';
import { compare, formatNs, table } from './harness.js';

// Short rounds, many of them: a burst of load from a neighbour spoils few samples, and the median drops them.
const ITERATIONS = 500_000;
const ROUNDS = Number(process.env.ROUNDS ?? 41);

/** Catalog providers plus `count` configured ones, each with an exact host and a wildcard pattern. */
function registryWith(count: number): ProviderRegistry {
  const providers: Record<string, ProviderOptions> = {};
  for (let i = 0; i < count; i++)
    providers[`llm-${i}`] = { hosts: [`api.llm-${i}.test`, `*.llm-${i}.internal`] };
  return new ProviderRegistry(resolveOptions({ providers }, {}));
}

// The traffic mix a service sends: a built-in host, a wildcard host, a configured exact host.
const ORIGINS = [
  'https://api.openai.com',
  'https://myres.openai.azure.com',
  'https://api.llm-7.test',
  'https://eu.llm-3.internal',
];
const OTHER = 'https://api.example.com';

function lookupAndAdmit(registry: ProviderRegistry) {
  for (const origin of ORIGINS) if (registry.providerForOrigin(origin) === undefined) throw new Error(origin);
  return (n: number): number => {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const provider = registry.providerForOrigin(ORIGINS[i & 3] as string);
      if (provider !== undefined) sum += provider.admit();
    }
    return sum;
  };
}

/** Cycles through more distinct origins than the cache holds (4,096), so every lookup parses and matches. */
function uncachedLookup(registry: ProviderRegistry, count: number) {
  const origins = Array.from({ length: 8_192 }, (_, i) => `https://h${i}.llm-${i % count}.internal`);
  return (n: number): number => {
    let found = 0;
    for (let i = 0; i < n; i++) if (registry.providerForOrigin(origins[i & 8_191] as string)) found++;
    if (found !== n) throw new Error('wildcard origin not matched');
    return found;
  };
}

const small = registryWith(10);
const large = registryWith(1_000);
const results = await compare(
  [
    { name: 'lookup + admit, 10 providers', iterations: ITERATIONS, run: lookupAndAdmit(small) },
    { name: 'lookup + admit, 1,000 providers', iterations: ITERATIONS, run: lookupAndAdmit(large) },
    {
      name: 'lookup of a non-provider origin (1,000)',
      iterations: ITERATIONS,
      run(n) {
        let misses = 0;
        for (let i = 0; i < n; i++) if (large.providerForOrigin(OTHER) === undefined) misses++;
        return misses;
      },
    },
    {
      name: 'control: lookup + admit, 10 providers again',
      iterations: ITERATIONS,
      run: lookupAndAdmit(small),
    },
    { name: 'uncached wildcard lookup, 10 providers', iterations: 100_000, run: uncachedLookup(small, 10) },
    {
      name: 'uncached wildcard lookup, 1,000 providers',
      iterations: 100_000,
      run: uncachedLookup(large, 1_000),
    },
  ],
  ROUNDS,
);

const base = results[0]?.medianNs ?? Number.NaN;
console.log(`\nLookup + admission, ${ROUNDS} alternating rounds, median ns per call`);
table(
  ['variant', 'median', 'min', 'max', 'vs 10 providers'],
  results.map((r) => [
    r.name,
    formatNs(r.medianNs),
    formatNs(r.minNs),
    formatNs(r.maxNs),
    `${(r.medianNs / base).toFixed(3)}×`,
  ]),
);
const ratio = (results[1]?.medianNs ?? 0) / base;
const control = (results[3]?.medianNs ?? 0) / base;
const uncached = (results[5]?.medianNs ?? 0) / (results[4]?.medianNs ?? 1);
console.log(
  `uncached (first sight of an origin), 1,000 vs 10 providers: ${((uncached - 1) * 100).toFixed(1)} %`,
);
const met = Math.abs(ratio - 1) <= 0.05;
const noisy = Math.abs(control - 1) > 0.05;
console.log(
  `1,000 vs 10 providers: ${((ratio - 1) * 100).toFixed(1)} % (target within 5 %); the 10-vs-10 control differs by ${((control - 1) * 100).toFixed(1)} % -> ${met ? 'met' : noisy ? 'inconclusive: the control is outside 5 % too, rerun on a quieter machine' : 'MISSED'}`,
);
