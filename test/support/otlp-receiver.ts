/**
 * A loopback OTLP/HTTP receiver for OTLP/JSON (what provider-health's exporters send with
 * `OTEL_EXPORTER_OTLP_PROTOCOL=http/json`): keeps every request body by path and tells
 * listeners, answering each with the empty JSON success response.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OtlpExport {
  /** `/v1/metrics`, `/v1/traces`, … */
  path: string;
  body: unknown;
}

export interface OtlpReceiver {
  /** `http://127.0.0.1:PORT`: the value of OTEL_EXPORTER_OTLP_ENDPOINT. */
  readonly url: string;
  readonly port: number;
  readonly exports: readonly OtlpExport[];
  /** Called for every export after it is stored; an error thrown here answers the export 500. */
  onExport(listener: (exported: OtlpExport) => void): void;
  /** Forgets the exports received so far. */
  clear(): void;
  close(): Promise<void>;
}

function readJson(request: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch (error) {
        reject(error);
      }
    });
    request.on('error', reject);
  });
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const exports: OtlpExport[] = [];
  const listeners: ((exported: OtlpExport) => void)[] = [];
  const server: Server = createServer((request, response) => {
    readJson(request)
      .then((body) => {
        const exported = { path: request.url ?? '', body };
        exports.push(exported);
        for (const listener of listeners) listener(exported);
        response.setHeader('content-type', 'application/json');
        response.end('{}');
      })
      .catch((error: unknown) => {
        response.statusCode = error instanceof SyntaxError ? 400 : 500;
        response.end(String(error));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    exports,
    onExport: (listener) => listeners.push(listener),
    clear: () => {
      exports.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
