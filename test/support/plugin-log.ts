/**
 * Keeps the plugin's own log lines off the console unless the test that caused them fails. The
 * plugin writes one JSON line at a time after `provider-health ` with process.stderr.write
 * (src/telemetry/log.ts); here each such line goes to console.error instead, which vitest files under
 * the running test (or hook, or file) and, with `silent: 'passed-only'` in vitest.config.ts, prints
 * only when that test, suite or file fails. Other stderr output passes through untouched.
 *
 * Tests that read the log spy on process.stderr.write themselves, on top of this, and still see
 * every line. Loaded as a vitest setupFiles entry, once per test file.
 */
const PREFIX = 'provider-health ';
const INSTALLED = Symbol.for('provider-health.test.pluginLogToConsole');

type Write = (chunk: unknown, ...rest: unknown[]) => boolean;
const stderr = process.stderr as NodeJS.WriteStream & { [INSTALLED]?: true };

if (stderr[INSTALLED] === undefined) {
  const write = process.stderr.write.bind(process.stderr) as Write;
  let inside = false;
  const routed: Write = (chunk, ...rest) => {
    const text =
      typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk).toString() : '';
    // `inside`: should the console itself ever write here, it goes straight out.
    if (inside || !text.startsWith(PREFIX)) return write(chunk, ...rest);
    inside = true;
    try {
      console.error(text.endsWith('\n') ? text.slice(0, -1) : text);
    } finally {
      inside = false;
    }
    const callback = rest.find((arg): arg is () => void => typeof arg === 'function');
    if (callback !== undefined) process.nextTick(callback);
    return true;
  };
  process.stderr.write = routed as typeof process.stderr.write;
  stderr[INSTALLED] = true;
}
