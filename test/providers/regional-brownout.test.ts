import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProvider, startFakeProvider } from '../../fake-provider/index.js';
import { isCircuitOpenError, pickHealthy } from '../../src/index.js';
import { installInterception, uninstallInterception } from '../../src/intercept/index.js';
import { configureRegistry } from '../../src/providers/global-registry.js';

/**
 * A regional brownout (docs/design.md, "Endpoints"): one Bedrock region starts failing; its
 * breaker opens, the README's failover loop over pickHealthy() moves every request to the other
 * region, and the provider as a whole stays `degraded`, never `unavailable`. Real AWS SDK
 * clients, one per region, against two fake Bedrock regions on loopback.
 */
const EAST = 'aws.bedrock@us-east-1';
const WEST = 'aws.bedrock@eu-west-1';
let east: FakeProvider;
let west: FakeProvider;
const clients: Record<string, BedrockRuntimeClient> = {};

beforeAll(async () => {
  [east, west] = await Promise.all([
    startFakeProvider({ flavor: 'bedrock' }),
    startFakeProvider({ flavor: 'bedrock' }),
  ]);
  const client = (fake: FakeProvider, region: string) =>
    new BedrockRuntimeClient({
      region,
      endpoint: fake.url,
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
      maxAttempts: 1,
      requestHandler: new NodeHttpHandler(),
    });
  clients[EAST] = client(east, 'us-east-1');
  clients[WEST] = client(west, 'eu-west-1');
  installInterception();
});

afterAll(async () => {
  uninstallInterception();
  for (const client of Object.values(clients)) client.destroy();
  await Promise.all([east.close(), west.close()]);
});

const converse = new ConverseCommand({
  modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
  messages: [{ role: 'user', content: [{ text: 'hi' }] }],
});

/** The README's failover pattern: healthy regions first; the next one on any failure. */
async function converseAnywhere(): Promise<string> {
  for (const name of pickHealthy(Object.keys(clients))) {
    try {
      await clients[name]?.send(converse);
      return name;
    } catch (error) {
      if (
        !isCircuitOpenError(error) &&
        (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === undefined
      )
        throw error;
    }
  }
  throw new Error('no Bedrock region is available');
}

describe('a brownout in one region', () => {
  it('moves traffic to the other region while the provider stays degraded, not unavailable', async () => {
    const registry = configureRegistry({
      server: false,
      recoveryTimeout: '10m',
      providers: {
        bedrock: {
          endpoints: {
            'us-east-1': { hosts: [new URL(east.url).host], region: 'us-east-1' },
            'eu-west-1': { hosts: [new URL(west.url).host], region: 'eu-west-1' },
          },
        },
      },
    });
    const bedrock = registry.getOrCreateProvider('aws.bedrock');
    // Both regions healthy: the first in the list takes the traffic.
    expect(await converseAnywhere()).toBe(EAST);
    expect(await converseAnywhere()).toBe(EAST);
    const statuses: string[] = [];
    registry.events.on('status', (event) => statuses.push(`${event.provider}:${event.status}`));

    const healthyCalls = east.requestCount;
    east.setDefault({ kind: 'error', status: 503, type: 'ServiceUnavailableException', message: 'brownout' });
    const servedBy: string[] = [];
    for (let i = 0; i < 20; i++) servedBy.push(await converseAnywhere());

    // Every request was answered. East failed 3 times (each retried on west): with 3 of its last
    // 5 requests failed it is degraded (failure rate), so pickHealthy ranks west first from then
    // on, before east's breaker (5 consecutive failures) ever has to open.
    expect(servedBy).toEqual(Array(20).fill(WEST));
    expect({ healthyCalls, failed: east.requestCount - healthyCalls }).toEqual({
      healthyCalls: 2,
      failed: 3,
    });
    expect(registry.getProvider(EAST)?.getHealthReport()).toEqual({
      status: 'degraded',
      reasons: ['failure_rate'],
    });
    expect(registry.getProvider(WEST)?.getHealthStatus()).toBe('available');
    expect(pickHealthy([EAST, WEST])).toEqual([WEST, EAST]);
    expect(bedrock.getHealthReport()).toEqual({ status: 'degraded', reasons: ['endpoints'] });
    expect(statuses).toContain(`${EAST}:degraded`);
    expect(statuses).toContain('aws.bedrock:degraded');
    expect(statuses).not.toContain('aws.bedrock:unavailable');
    const endpoints = bedrock.snapshot().endpoints.map((e) => [e.key, e.region, e.status]);
    expect(endpoints).toEqual(
      expect.arrayContaining([
        ['us-east-1', 'us-east-1', 'degraded'],
        ['eu-west-1', 'eu-west-1', 'available'],
      ]),
    );

    // The brownout deepens: east's circuit opens (calls made straight to it, as a client with
    // no failover would). The provider is still degraded, since west still answers.
    for (let i = 0; i < 5; i++) await clients[EAST]?.send(converse).catch(() => undefined);
    expect(registry.getProvider(EAST)?.breaker.state).toBe('open');
    expect(await converseAnywhere()).toBe(WEST);
    expect(bedrock.getHealthReport()).toEqual({ status: 'degraded', reasons: ['endpoints'] });
    expect(statuses).toContain(`${EAST}:unavailable`);
    expect(statuses).not.toContain('aws.bedrock:unavailable');
  });
});
