import { defaultPort } from '../common/host.js';
import { type HostPattern, patternMatches } from '../common/host-pattern.js';

const CACHE_LIMIT = 4096;

/**
 * Maps a request's origin to the provider that owns it.
 *
 * The hot path is `forOrigin`: one Map hit on a cache keyed by the origin string undici and
 * fetch already hold, for providers and non-providers alike. A miss parses the origin, tries
 * the exact `host:port` and `host` entries, then wildcard patterns indexed by their fixed
 * suffix, so the cost grows with the number of labels in the host, not with the number of
 * patterns. The cache is cleared when it reaches its limit or a pattern is added.
 */
export class HostMatcher<T> {
  /**
   * @param refine turns what a pattern maps to into what the host gets, once per host (the result
   * is cached): the registry picks the endpoint of a provider whose hosts name regions.
   */
  constructor(private readonly refine?: (value: T, host: string, pattern: HostPattern | undefined) => T) {}

  private readonly exact = new Map<string, T>();
  private readonly wildcards = new Map<string, Array<{ pattern: HostPattern; value: T }>>();
  private readonly cache = new Map<string, T | null>();

  /** A pattern compiled by `compileHostPattern` (src/common/host-pattern.ts), the grammar configuration validates with. */
  add(pattern: HostPattern, value: T): void {
    this.cache.clear();
    if (!pattern.wildcard) {
      this.exact.set(pattern.port === undefined ? pattern.host : `${pattern.host}:${pattern.port}`, value);
      return;
    }
    const list = this.wildcards.get(pattern.fixedSuffix) ?? [];
    list.push({ pattern, value });
    this.wildcards.set(pattern.fixedSuffix, list);
  }

  /** `origin` as undici carries it: `https://api.openai.com`, `http://127.0.0.1:4010`. */
  forOrigin(origin: string): T | undefined {
    const cached = this.cache.get(origin);
    if (cached !== undefined) return cached ?? undefined;
    return this.remember(origin, this.resolveOrigin(origin));
  }

  forHost(host: string, port: number): T | undefined {
    const key = `${host}:${port}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached ?? undefined;
    // node:http passes IPv6 hosts bare (`::1`); patterns and URL origins bracket them (`[::1]`).
    const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
    return this.remember(key, this.resolve(bracketed.toLowerCase(), port));
  }

  private remember(key: string, value: T | undefined): T | undefined {
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(key, value ?? null);
    return value;
  }

  private resolveOrigin(origin: string): T | undefined {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return undefined;
    }
    const port = url.port === '' ? defaultPort(url.protocol) : Number(url.port);
    return this.resolve(url.hostname.toLowerCase(), port);
  }

  private resolve(host: string, port: number): T | undefined {
    const exact = this.exact.get(`${host}:${port}`) ?? this.exact.get(host);
    if (exact !== undefined) return this.refine === undefined ? exact : this.refine(exact, host, undefined);
    if (this.wildcards.size === 0) return undefined;
    // Longest fixed suffix first: the most specific pattern wins.
    for (let dot = host.indexOf('.'); dot >= 0; dot = host.indexOf('.', dot + 1)) {
      const candidates = this.wildcards.get(host.slice(dot));
      if (candidates === undefined) continue;
      for (const { pattern, value } of candidates) {
        if (!patternMatches(pattern, host, port)) continue;
        return this.refine === undefined ? value : this.refine(value, host, pattern);
      }
    }
    return undefined;
  }
}
