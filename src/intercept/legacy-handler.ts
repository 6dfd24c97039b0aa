import type { Duplex } from 'node:stream';
import type { RequestObservation } from '../gate/request-observation.js';
import { headersFromRecord } from '../outcome/headers.js';
import type { AnyDispatchHandler } from './undici-types.js';

/**
 * Wraps a handler of undici's original API (the one Node 20's bundled fetch uses): every call
 * is forwarded unchanged, with its return value, and observed on the way. Only the original
 * API's methods exist here, so undici 7 keeps treating it as a legacy handler.
 */
export class LegacyObservingHandler implements AnyDispatchHandler {
  constructor(
    private readonly handler: AnyDispatchHandler,
    private readonly observation: RequestObservation,
  ) {}

  onConnect(abort: (err?: Error) => void): void {
    this.handler.onConnect?.(abort);
  }

  onResponseStarted(): void {
    this.handler.onResponseStarted?.();
  }

  onHeaders(statusCode: number, headers: Buffer[], resume: () => void, statusText: string): boolean {
    this.observation.onResponseStart(statusCode, () => headersFromRecord(headers));
    return this.handler.onHeaders?.(statusCode, headers, resume, statusText) ?? true;
  }

  onData(chunk: Buffer): boolean {
    if (this.observation.capturingBody) this.observation.onBodyChunk(chunk);
    return this.handler.onData?.(chunk) ?? true;
  }

  onComplete(trailers: string[] | null): void {
    this.observation.finish();
    this.handler.onComplete?.(trailers);
  }

  onError(err: Error): void {
    this.observation.finish(err);
    this.handler.onError?.(err);
  }

  onUpgrade(statusCode: number, headers: Buffer[] | string[] | null, socket: Duplex): void {
    this.observation.onUpgrade(statusCode);
    this.handler.onUpgrade?.(statusCode, headers, socket);
  }

  onBodySent(chunkSize: number, totalBytesSent: number): void {
    this.handler.onBodySent?.(chunkSize, totalBytesSent);
  }
}
