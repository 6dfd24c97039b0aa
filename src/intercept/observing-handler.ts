import type { IncomingHttpHeaders } from 'node:http';
import type { Duplex } from 'node:stream';
import type { RequestObservation } from '../gate/request-observation.js';
import { headersFromRecord } from '../outcome/headers.js';
import type { AnyDispatchHandler, DispatchController } from './undici-types.js';

/** The same as LegacyObservingHandler for undici 7's handler API (`onRequestStart` … `onResponseEnd`). */
export class ObservingHandler implements AnyDispatchHandler {
  constructor(
    private readonly handler: AnyDispatchHandler,
    private readonly observation: RequestObservation,
  ) {}

  // undici types the context as any; it is passed through untouched.
  onRequestStart(controller: DispatchController, context: unknown): void {
    this.handler.onRequestStart?.(controller, context);
  }

  onRequestUpgrade(
    controller: DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
    socket: Duplex,
  ): void {
    this.observation.onUpgrade(statusCode);
    this.handler.onRequestUpgrade?.(controller, statusCode, headers, socket);
  }

  onResponseStart(
    controller: DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
    statusMessage?: string,
  ): void {
    this.observation.onResponseStart(statusCode, () => headersFromRecord(headers));
    this.handler.onResponseStart?.(controller, statusCode, headers, statusMessage);
  }

  onResponseData(controller: DispatchController, chunk: Buffer): void {
    if (this.observation.capturingBody) this.observation.onBodyChunk(chunk);
    this.handler.onResponseData?.(controller, chunk);
  }

  onResponseEnd(controller: DispatchController, trailers: IncomingHttpHeaders): void {
    this.observation.finish();
    this.handler.onResponseEnd?.(controller, trailers);
  }

  onResponseError(controller: DispatchController, error: Error): void {
    this.observation.finish(error);
    this.handler.onResponseError?.(controller, error);
  }
}
