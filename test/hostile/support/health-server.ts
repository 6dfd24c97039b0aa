import type { ChildSession } from '../../intercept/support/child-session.js';
import { sleep } from '../../intercept/support/fakes.js';

/** The child's health server URL, from its "health server listening" log line (it may take a moment). */
export async function healthServerUrl(child: ChildSession): Promise<string> {
  for (let i = 0; i < 400; i++) {
    const match = /"msg":"health server listening","url":"([^"]+)"/.exec(child.stderr);
    if (match?.[1] !== undefined) return match[1];
    await sleep(25);
  }
  throw new Error(`the health server did not start; stderr:\n${child.stderr}`);
}
