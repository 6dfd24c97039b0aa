import { describe, expect, it } from 'vitest';
import { extraIdentityLabels, formatMatchers, parseSelector } from '../../../src/mixin/config/selector.js';
import { UsageError } from '../../../src/mixin/config/usage-error.js';

describe('--selector', () => {
  it('reads PromQL matchers: all four operators, three quotes, escapes, optional braces and spaces', () => {
    const matchers = parseSelector(
      '--selector',
      ` { job = "shop/checkout", namespace=~'prod|staging', cluster!=\`eu-1\`, team!~"a\\"b\\\\c" , } `,
    );
    expect(matchers).toEqual([
      ['job', '=', 'shop/checkout'],
      ['namespace', '=~', 'prod|staging'],
      ['cluster', '!=', 'eu-1'],
      ['team', '!~', 'a"b\\c'],
    ]);
    expect(formatMatchers(matchers)).toBe(
      'job="shop/checkout",namespace=~"prod|staging",cluster!="eu-1",team!~"a\\"b\\\\c"',
    );
    expect(extraIdentityLabels(matchers)).toEqual(['namespace', 'cluster', 'team']);
  });

  it.each([
    ['', /no matcher/],
    ['job', /=, !=, =~ or !~ after job/],
    ['job="a', /a closing "/],
    ['job="a\\q"', /a known escape/],
    ['job="a" namespace="b"', /a comma at "namespace=\\"b\\""/],
    ['gen_ai_provider_name="openai"', /a label the rules split by or the plugin sets/],
    ['le="1"', /a label the rules split by/],
    ['__address__="x"', /reserved by Prometheus/],
  ])('refuses %j, naming the flag and the value', (text, message) => {
    expect(() => parseSelector('--selector', text)).toThrow(UsageError);
    expect(() => parseSelector('--selector', text)).toThrow(message);
    expect(() => parseSelector('--selector', text)).toThrow(`--selector ${JSON.stringify(text)}`);
  });
});
