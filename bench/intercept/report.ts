import { median } from '../core/harness.js';

/** Per-request figures from one child: microseconds of wall and client CPU time. */
export interface Row {
  name: string;
  seq: { wallUs: number; cpuUs: number };
  conc: { wallUs: number; cpuUs: number };
}

type Metric = (row: Row) => number;
const METRICS: [string, Metric][] = [
  ['seq wall', (r) => r.seq.wallUs],
  ['seq CPU', (r) => r.seq.cpuUs],
  ['50x wall', (r) => r.conc.wallUs],
  ['50x CPU', (r) => r.conc.cpuUs],
];

const fmt = (n: number) => n.toFixed(1).padStart(8);

/** Medians per variant (µs/request), ratios to bare, and the deltas the targets are about. */
export function report(rows: Row[]): void {
  const names = [...new Set(rows.map((r) => r.name))];
  const med = (name: string, metric: Metric) => median(rows.filter((r) => r.name === name).map(metric));
  const bare = names[0] as string;
  console.log(`\nend-to-end loopback fetch, µs per request, median of ${rows.length / names.length} rounds`);
  console.log(
    `${'variant'.padEnd(24)}${METRICS.map(([m]) => m.padStart(10)).join('')}   ratio to bare (seq CPU, 50x CPU)`,
  );
  for (const name of names) {
    const values = METRICS.map(([, metric]) => med(name, metric));
    const ratios = [1, 3].map((i) => (values[i] as number) / med(bare, (METRICS[i] as [string, Metric])[1]));
    console.log(
      `${name.padEnd(24)}${values.map((v) => `${fmt(v)}  `).join('')}   ${ratios.map((r) => r.toFixed(3)).join('  ')}`,
    );
  }
  const delta = (a: string, b: string, i: number) => {
    const metric = (METRICS[i] as [string, Metric])[1];
    return (
      med(names.find((n) => n.startsWith(a)) ?? a, metric) -
      med(names.find((n) => n.startsWith(b)) ?? b, metric)
    );
  };
  console.log('\ndeltas (µs/request, CPU):        seq      50x');
  const line = (label: string, a: string, b: string) =>
    console.log(`${label.padEnd(30)}${fmt(delta(a, b, 1))} ${fmt(delta(a, b, 3))}`);
  line('control: a2 - a (noise)', 'a2 ', 'a bare');
  line('d enforce - b otel', 'd ', 'b ');
  line('d enforce - a bare', 'd ', 'a bare');
  line('f non-provider - a bare', 'f ', 'a bare');
  const speedup = delta('d ', 'a bare', 0) + med(bare, (r) => r.seq.wallUs);
  console.log(
    `\ne rejection vs d successful request (seq wall): ${(speedup / med(names.find((n) => n.startsWith('e ')) ?? '', (r) => r.seq.wallUs)).toFixed(1)}x faster`,
  );
}
