import { vi } from 'vitest';
import type { ChildSession } from '../../intercept/support/child-session.js';
import { EVENTUALLY } from '../../support/waits.js';

/** The child's health server URL, from its "health server listening" log line (it may take a moment). */
export function healthServerUrl(child: ChildSession): Promise<string> {
  return vi.waitFor(() => {
    const match = /"msg":"health server listening","url":"([^"]+)"/.exec(child.stderr);
    if (match?.[1] === undefined)
      throw new Error(`the health server did not start; stderr:\n${child.stderr}`);
    return match[1];
  }, EVENTUALLY);
}
