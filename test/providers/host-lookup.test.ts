import { describe, expect, it } from 'vitest';
import { compileHostPattern } from '../../src/common/host-pattern.js';
import { resolveOptions } from '../../src/config/resolve.js';
import { CATALOG } from '../../src/providers/catalog.js';
import { HostMatcher as RawHostMatcher } from '../../src/providers/host-matcher.js';

/** The matcher takes compiled patterns; these tests write them as text. */
class HostMatcher<T> extends RawHostMatcher<T> {
  addText(pattern: string, value: T): void {
    this.add(compileHostPattern(pattern), value);
  }
}

import { ProviderRegistry } from '../../src/providers/registry.js';

const registry = (): ProviderRegistry => new ProviderRegistry(resolveOptions({}, {}));
// The provider a host belongs to (a regional host reaches one of its endpoints: see endpoints.test.ts).
const lookup = (r: ProviderRegistry, origin: string): string | undefined =>
  r.providerForOrigin(origin)?.providerName;

describe('host lookup over the catalog', () => {
  it('maps every fixed catalog host to its provider, by origin and by host:port', () => {
    const r = registry();
    let checked = 0;
    for (const entry of CATALOG) {
      for (const host of entry.hosts.filter((h) => !h.includes('*'))) {
        expect(lookup(r, `https://${host}`), host).toBe(entry.name);
        expect(r.providerForHost(host, 443)?.name, host).toBe(entry.name);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(18);
  });

  it('resolves aliases to the canonical provider, case-insensitively', () => {
    const r = registry();
    const expected: Record<string, string> = {
      'fal.ai': 'fal',
      fal_ai: 'fal',
      gemini: 'gcp.gemini',
      google: 'gcp.gemini',
      xai: 'x_ai',
      grok: 'x_ai',
      bedrock: 'aws.bedrock',
      'aws-bedrock': 'aws.bedrock',
      vertex: 'gcp.vertex_ai',
      azure: 'azure.ai.openai',
      mistral: 'mistral_ai',
      OpenAI: 'openai',
      'FAL.AI': 'fal',
    };
    for (const [alias, name] of Object.entries(expected)) {
      expect(r.canonicalName(alias), alias).toBe(name);
      expect(r.getProvider(alias)?.name, alias).toBe(name);
    }
    // An alias reaches the very same provider object, so both names share one breaker.
    expect(r.getProvider('gemini')).toBe(r.getProvider('gcp.gemini'));
  });

  it('matches wildcard catalog patterns, only where the pattern allows', () => {
    const r = registry();
    expect(lookup(r, 'https://us-central1-aiplatform.googleapis.com')).toBe('gcp.vertex_ai');
    expect(lookup(r, 'https://aiplatform.googleapis.com')).toBe('gcp.vertex_ai');
    expect(lookup(r, 'https://myres.openai.azure.com')).toBe('azure.ai.openai');
    expect(lookup(r, 'https://bedrock-runtime.us-east-1.amazonaws.com')).toBe('aws.bedrock');
    expect(lookup(r, 'https://bedrock.us-east-1.amazonaws.com')).toBeUndefined();
    expect(lookup(r, 'https://bedrock-runtime.a.b.amazonaws.com')).toBeUndefined();
    expect(lookup(r, 'https://openai.azure.com')).toBeUndefined();
    expect(lookup(r, 'https://storage.googleapis.com')).toBeUndefined();
    expect(lookup(r, 'https://evil-aiplatform.googleapis.com.attacker.net')).toBeUndefined();
  });

  it('treats origins with default ports, other ports and upper case like the host', () => {
    const r = registry();
    expect(lookup(r, 'https://api.openai.com:443')).toBe('openai');
    expect(lookup(r, 'https://API.OpenAI.com')).toBe('openai');
    expect(lookup(r, 'http://api.openai.com:8080')).toBe('openai');
    expect(r.providerForHost('API.ANTHROPIC.COM', 443)?.name).toBe('anthropic');
    expect(lookup(r, 'https://MyRes.OpenAI.Azure.com')).toBe('azure.ai.openai');
  });

  it('returns undefined for hosts that are not providers, and for junk', () => {
    const r = registry();
    for (const origin of [
      'https://example.com',
      'http://127.0.0.1:3000',
      'https://api.openai.com.evil.com',
      'https://notapi.openai.com',
      'not an origin',
      '',
    ]) {
      expect(lookup(r, origin), origin).toBeUndefined();
      // The cached negative answer stays negative.
      expect(lookup(r, origin), origin).toBeUndefined();
    }
  });
});

describe('host lookup with configured hosts', () => {
  const configured = (): ProviderRegistry =>
    new ProviderRegistry(
      resolveOptions(
        {
          providers: {
            openai: { hosts: ['127.0.0.1:4010', '[::1]:8080'] },
            'my-llm': { hosts: ['*.llm.internal', 'LOCAL.test'] },
            'fal.ai': { hosts: ['fal.proxy.test'] },
          },
        },
        {},
      ),
    );

  it('adds hosts to built-in providers and creates new ones', () => {
    const r = configured();
    expect(lookup(r, 'http://127.0.0.1:4010')).toBe('openai');
    expect(lookup(r, 'https://api.openai.com')).toBe('openai');
    expect(lookup(r, 'https://a.llm.internal')).toBe('my-llm');
    expect(lookup(r, 'https://a.b.llm.internal:9000')).toBe('my-llm');
    expect(lookup(r, 'https://llm.internal')).toBeUndefined();
    // Configured under an alias, the host belongs to the canonical provider.
    expect(lookup(r, 'https://fal.proxy.test')).toBe('fal');
    expect(r.getProvider('my-llm')?.config.hosts).toEqual(['*.llm.internal', 'local.test']);
  });

  it('a pattern with a port matches that port only; without one, any port', () => {
    const r = configured();
    expect(lookup(r, 'http://127.0.0.1:4011')).toBeUndefined();
    expect(lookup(r, 'http://127.0.0.1')).toBeUndefined();
    expect(r.providerForHost('127.0.0.1', 4010)?.name).toBe('openai');
    expect(lookup(r, 'http://local.test:99')).toBe('my-llm');
    expect(lookup(r, 'https://local.test')).toBe('my-llm');
  });

  it('matches IPv6 hosts, bracketed in origins and bare as node:http passes them', () => {
    const r = configured();
    expect(lookup(r, 'http://[::1]:8080')).toBe('openai');
    expect(lookup(r, 'http://[::1]:8081')).toBeUndefined();
    expect(r.providerForHost('[::1]', 8080)?.name).toBe('openai');
    // node:http's request options carry `host: '::1'`, without brackets.
    expect(r.providerForHost('::1', 8080)?.name).toBe('openai');
    expect(r.providerForHost('::1', 8081)?.name).toBeUndefined();
  });

  it('takes the same hosts from PROVIDER_HEALTH_PROVIDERS in the environment', () => {
    const r = new ProviderRegistry(
      resolveOptions({}, { PROVIDER_HEALTH_PROVIDERS: 'openai=127.0.0.1:4010,my-llm=*.llm.internal' }),
    );
    expect(lookup(r, 'http://127.0.0.1:4010')).toBe('openai');
    expect(lookup(r, 'http://127.0.0.1:4011')).toBeUndefined();
    expect(lookup(r, 'https://x.llm.internal')).toBe('my-llm');
  });

  it('reports configured providers as active, the rest only after traffic', () => {
    const r = configured();
    expect(Object.keys(r.getHealthStatuses()).sort()).toEqual(['fal', 'my-llm', 'openai']);
    r.getProvider('anthropic')?.admit();
    expect(Object.keys(r.getHealthStatuses())).toContain('anthropic');
  });
});

describe('HostMatcher cache', () => {
  it('keeps correct answers, positive and negative, after patterns are added', () => {
    const m = new HostMatcher<string>();
    m.addText('api.example.com', 'a');
    expect(m.forOrigin('https://api.example.com')).toBe('a');
    expect(m.forOrigin('https://x.corp.test')).toBeUndefined();
    expect(m.forHost('x.corp.test', 443)).toBeUndefined();
    m.addText('*.corp.test', 'b');
    expect(m.forOrigin('https://x.corp.test')).toBe('b');
    expect(m.forHost('x.corp.test', 443)).toBe('b');
    // A more specific exact host added later wins over the wildcard.
    m.addText('x.corp.test:443', 'c');
    expect(m.forOrigin('https://x.corp.test')).toBe('c');
    expect(m.forOrigin('http://x.corp.test')).toBe('b');
  });

  it('prefers the longest fixed suffix among wildcards', () => {
    const m = new HostMatcher<string>();
    m.addText('*.corp.internal', 'broad');
    m.addText('*.llm.corp.internal', 'narrow');
    expect(m.forOrigin('https://a.llm.corp.internal')).toBe('narrow');
    expect(m.forOrigin('https://a.db.corp.internal')).toBe('broad');
  });

  it('stays correct past its size limit', () => {
    const m = new HostMatcher<string>();
    m.addText('*.llm.internal', 'llm');
    for (let i = 0; i < 10_000; i++) {
      expect(m.forOrigin(`https://h${i}.other.test`)).toBeUndefined();
      if (i % 997 === 0) expect(m.forOrigin(`https://h${i}.llm.internal`)).toBe('llm');
    }
    expect(m.forOrigin('https://h1.llm.internal')).toBe('llm');
  });

  it('rejects malformed patterns with a message naming the pattern', () => {
    const m = new HostMatcher<string>();
    expect(() => m.addText('*', 'x')).toThrow(/"\*"/);
    expect(() => m.addText('a b', 'x')).toThrow(/a b/);
    expect(() => m.addText('api.example.com:70000', 'x')).toThrow(/port/);
  });
});
