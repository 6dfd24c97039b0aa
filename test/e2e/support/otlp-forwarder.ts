/**
 * The OTLP path into Prometheus 2.42, which has no OTLP receiver: every metrics export the
 * loopback receiver gets is translated (otlp-to-prometheus.ts) and remote-written to Prometheus,
 * in arrival order, so each series' samples arrive in time order. Exports that come before
 * Prometheus is up wait, then go first.
 */
import type { OtlpReceiver } from '../../support/otlp-receiver.js';
import { type ExportMetricsServiceRequest, type PromSeries, translate } from './otlp-to-prometheus.js';
import { remoteWrite } from './remote-write.js';
import { FatalError } from './wait.js';

export class OtlpForwarder {
  private queue: Promise<void> = Promise.resolve();
  private url: string | undefined;
  private readonly backlog: PromSeries[][] = [];
  private failure: unknown;
  /** Samples written so far. */
  written = 0;

  constructor(receiver: OtlpReceiver) {
    receiver.onExport(({ path, body }) => {
      if (path === '/v1/metrics') this.enqueue(translate(body as ExportMetricsServiceRequest));
    });
  }

  /** Starts writing to Prometheus' remote-write URL, the waiting exports first. */
  start(url: string): void {
    this.url = url;
    for (const series of this.backlog.splice(0)) this.enqueue(series);
  }

  /** Throws the first remote-write failure: a check for wait loops. */
  assertHealthy(): void {
    if (this.failure !== undefined) throw new FatalError(`remote write failed: ${String(this.failure)}`);
  }

  private enqueue(series: PromSeries[]): void {
    const url = this.url;
    if (url === undefined) {
      this.backlog.push(series);
      return;
    }
    this.queue = this.queue
      .then(() => remoteWrite(url, series))
      .then(() => {
        this.written += series.length;
      })
      .catch((error: unknown) => {
        this.failure ??= error;
      });
  }
}
