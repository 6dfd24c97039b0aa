import { describe, expect, it } from 'vitest';
import { testTargets } from '../../../src/mixin/alerts/test-targets.js';
import { parseSelector } from '../../../src/mixin/config/selector.js';
import { mixinFor } from '../../../src/mixin/mixin.js';
import { DEFAULT_OPTIONS } from '../defaults.js';

const targets = (selector: string) =>
  testTargets(mixinFor({ ...DEFAULT_OPTIONS, selector: parseSelector('--selector', selector) }, 'builtin'));

describe('label values of the promtool input series', () => {
  it('match the selector, whatever its operators', () => {
    expect(targets('job="payments"').service).toEqual({ job: 'payments' });
    expect(targets('job=~"search|checkout",namespace!="dev"').service).toEqual({
      job: 'search',
      namespace: 'mixin-test',
    });
    expect(targets('job!~"checkout|search"').service).toEqual({ job: 'mixin-test' });
    expect(targets('job=~"(?i)Checkout|orders"').service).toEqual({ job: 'orders' });
    expect(targets('job="checkout",namespace="prod"').absentLabels).toEqual({
      job: 'checkout',
      namespace: 'prod',
    });
    expect(targets('job=~"checkout|search"').absentLabels).toEqual({});
  });

  it('try the default job against a regex, and refuse one no value can be found for', () => {
    expect(targets('job=~"check.*"').service).toEqual({ job: 'checkout' });
    expect(() => targets('job=~"pay.+"')).toThrow(
      /--selector "job=~\\"pay\.\+\\"": no value of job to put in the promtool tests matches it/,
    );
  });
});
