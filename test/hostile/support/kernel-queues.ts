import { readFileSync } from 'node:fs';

/**
 * Bytes the kernel holds in the send and receive queues of every TCP connection to or from
 * `port` on this machine (Linux: /proc/net/tcp and tcp6), both ends of loopback connections.
 */
export function kernelQueuedBytes(port: number): number {
  const hexPort = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  let total = 0;
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const [local, remote, , queues] = fields.slice(1, 5);
      if (queues === undefined || !(local?.endsWith(hexPort) || remote?.endsWith(hexPort))) continue;
      const [tx, rx] = queues.split(':');
      total += Number.parseInt(tx ?? '0', 16) + Number.parseInt(rx ?? '0', 16);
    }
  }
  return total;
}
