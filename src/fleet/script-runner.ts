import { describeError, type LogOnce } from './fleet-log.js';
import type { FleetScriptName } from './fleet-scripts.js';
import type { FleetStats } from './fleet-types.js';
import { parseReply, WireError, type WireReply } from './fleet-wire.js';
import type { RedisConnection } from './redis-connection.js';
import { newGeneration } from './replica-id.js';

export interface ScriptRunnerOptions {
  fleet: string;
  channel: string;
  replicaId: string;
  maxInFlight: number;
  /** Shared with the store, which counts messages in the same object. */
  stats: FleetStats;
  once: LogOnce;
  /** A command failed or timed out: Redis is unreachable. */
  onUnreachable(reason: string): void;
  /** Removes secrets from a client error before it is logged. */
  scrub(text: string): string;
}

/**
 * Runs the fleet's scripts: at most `maxInFlight` at once (beyond that, work is dropped and
 * counted), each reply validated, failures classified. Never rejects.
 */
export class ScriptRunner {
  constructor(
    private readonly connection: RedisConnection,
    private readonly options: ScriptRunnerOptions,
  ) {}

  /** Undefined when not sent (`allowed` false, too much in flight), failed, or refused. */
  async run(
    script: FleetScriptName,
    args: readonly (string | number)[],
    allowed: boolean,
  ): Promise<WireReply | undefined> {
    const { stats } = this.options;
    if (!allowed || stats.inFlight >= this.options.maxInFlight) {
      stats.dropped++;
      return undefined;
    }
    stats.inFlight++;
    stats.commands++;
    let raw: unknown;
    try {
      raw = await this.connection.run(script, [
        this.options.fleet,
        this.options.channel,
        // A fresh candidate each time: a store emptied twice must not get an old generation back.
        newGeneration(),
        this.options.replicaId,
        ...args,
      ]);
    } catch (error) {
      this.failed(script, error);
      return undefined;
    } finally {
      stats.inFlight--;
    }
    try {
      return parseReply(raw);
    } catch (error) {
      const refusal = error instanceof WireError ? error.refusal : 'malformed';
      this.options.once.warn(
        `reply.${refusal}`,
        `fleet ${this.options.fleet}: a reply from Redis was refused (${refusal})`,
      );
      return undefined;
    }
  }

  private failed(script: FleetScriptName, error: unknown): void {
    const message = this.options.scrub(describeError(error));
    // Our own scripts refusing an argument, or a full store: not an outage.
    if (message.includes('provider-health:')) {
      this.options.once.warn(
        `script.${script}`,
        `fleet ${this.options.fleet}: Redis refused ${script}: ${message}`,
      );
      return;
    }
    this.options.onUnreachable(message);
  }
}
