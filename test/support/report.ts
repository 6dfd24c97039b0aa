/**
 * Prints a measurement a test takes on purpose (load-test numbers, end-to-end timings), whether it
 * passes or not. Straight to stdout: console output of passing tests is dropped (vitest.config.ts,
 * `silent: 'passed-only'`), and these numbers are read on green runs too.
 */
export function report(label: string, value: unknown): void {
  process.stdout.write(`${label} ${JSON.stringify(value)}\n`);
}
