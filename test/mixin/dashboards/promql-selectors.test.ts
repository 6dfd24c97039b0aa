import { describe, expect, it } from 'vitest';
import { metricNames, selectors } from './promql-selectors.js';

describe('PromQL selector scanner', () => {
  it('finds names and matchers, skipping functions, label lists, durations and numbers', () => {
    const expr =
      'histogram_quantile(0.95, sum by (job, le) (rate(a_bucket{job=~"$job",x!="}"}[$__rate_interval] offset 1h))) > 2 * b:rec:rate5m unless on (job) group_left (instance) c';
    expect(metricNames(expr)).toEqual(['a_bucket', 'b:rec:rate5m', 'c']);
    expect(selectors(expr)[0]?.matchers).toEqual([
      { label: 'job', op: '=~', value: '$job' },
      { label: 'x', op: '!=', value: '}' },
    ]);
  });

  it('reads __name__ alternatives and bare selectors', () => {
    expect(metricNames('{__name__=~"x_up|target_info",service_name=~"$service"}')).toEqual([
      'target_info',
      'x_up',
    ]);
    expect(metricNames('absent(up) or max_over_time(m[1d]) and 1e-3 < bool n')).toEqual(['m', 'n', 'up']);
  });

  it('refuses a __name__ regex it cannot enumerate', () => {
    expect(() => metricNames('{__name__=~"ai_.*"}')).toThrow(/cannot enumerate/);
  });
});
