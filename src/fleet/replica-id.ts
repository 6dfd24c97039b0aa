import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { LIMITS } from './limits.js';

/**
 * `<host>:<pid>:<random>`: the host and pid tell an operator which replica tripped a circuit; the
 * random part keeps two processes apart that reuse a pid (containers often all run as pid 1).
 */
export function newReplicaId(host: string = hostname(), pid: number = process.pid): string {
  const safeHost = host.replace(/[^A-Za-z0-9.-]/g, '-').slice(0, 64) || 'host';
  const id = `${safeHost}:${pid}:${randomBytes(4).toString('hex')}`;
  return id.slice(0, LIMITS.replicaIdChars);
}

/** A fresh generation token, offered to the store in case it has none (a new or emptied Redis). */
export function newGeneration(): string {
  return randomBytes(8).toString('hex');
}
