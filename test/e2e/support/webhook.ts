/**
 * Alertmanager's webhook receiver: a node:http server on loopback that keeps every
 * notification (Alertmanager's version 4 payload) with the path it was posted to.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WebhookAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
}

export interface Notification {
  /** `/alerts/warning` or `/alerts/critical`: which receiver of the example config sent it. */
  path: string;
  /** When the receiver got it (ms since the epoch). */
  receivedAt: number;
  receiver: string;
  status: 'firing' | 'resolved';
  alerts: WebhookAlert[];
}

export interface WebhookReceiver {
  readonly url: string;
  readonly notifications: readonly Notification[];
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const notifications: Notification[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Omit<
          Notification,
          'path' | 'receivedAt'
        >;
        notifications.push({ ...body, path: req.url ?? '', receivedAt: Date.now() });
        res.writeHead(200).end();
      } catch {
        // A malformed payload is a finding: answer 400 so Alertmanager logs it too.
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    notifications,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The first notification with an alert matching `match`, and that alert. */
export function findAlert(
  notifications: readonly Notification[],
  match: (alert: WebhookAlert, notification: Notification) => boolean,
): { notification: Notification; alert: WebhookAlert } | undefined {
  for (const notification of notifications)
    for (const alert of notification.alerts) if (match(alert, notification)) return { notification, alert };
  return undefined;
}
