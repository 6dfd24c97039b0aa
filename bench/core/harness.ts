/**
 * A tiny in-process benchmark harness: variants run side by side in one process, in several
 * rounds whose order alternates (forward, then reversed) so that drift in CPU frequency or a
 * neighbour's load hits every variant alike; each variant's result is its median round.
 */
export interface Variant {
  name: string;
  /** Runs the measured operation `iterations` times; returns anything (kept, so it is not optimised away). */
  run(iterations: number): unknown | Promise<unknown>;
  iterations: number;
}

export interface Result {
  name: string;
  medianNs: number;
  minNs: number;
  maxNs: number;
  rounds: number[];
}

let sink: unknown;

export async function compare(variants: Variant[], rounds: number, warmupRounds = 2): Promise<Result[]> {
  const samples = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  for (let round = -warmupRounds; round < rounds; round++) {
    const order = round % 2 === 0 ? variants : [...variants].reverse();
    for (const variant of order) {
      const start = process.hrtime.bigint();
      sink = await variant.run(variant.iterations);
      const ns = Number(process.hrtime.bigint() - start) / variant.iterations;
      if (round >= 0) samples.get(variant.name)?.push(ns);
    }
  }
  if (sink === Symbol.for('never')) console.log(sink);
  return variants.map((v) => {
    const rs = samples.get(v.name) ?? [];
    return { name: v.name, medianNs: median(rs), minNs: Math.min(...rs), maxNs: Math.max(...rs), rounds: rs };
  });
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function formatNs(ns: number): string {
  return ns >= 1000 ? `${(ns / 1000).toFixed(2)} µs` : `${ns.toFixed(1)} ns`;
}

/** Prints rows as a fixed-width table. */
export function table(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

export function requireGc(): () => void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with node --expose-gc');
  return gc;
}
