import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { readEnvOptions } from '../../src/config/index.js';
import { resolveOptions } from '../../src/config/resolve.js';
import { pickHealthy } from '../../src/index.js';
import { configureRegistry } from '../../src/providers/global-registry.js';
import { MAX_ENDPOINTS, type Provider } from '../../src/providers/provider.js';
import { ProviderRegistry } from '../../src/providers/registry.js';
import { providersView } from '../../src/server/health-json.js';
import { ATTR, METRICS } from '../../src/telemetry/metric-names.js';
import { createProviderInstruments } from '../../src/telemetry/metrics/instruments.js';
import { CollectingReader, metricNamed } from '../telemetry/support.js';

/**
 * A provider's endpoints (docs/design.md, "Endpoints"): regions and deployments, told apart by
 * the host, each with a breaker and stats of its own; the provider's status aggregates them.
 */
const registry = (options = {}): ProviderRegistry =>
  new ProviderRegistry(resolveOptions({ server: false, ...options }, {}));
const fail = (unit: Provider, n: number): void => {
  for (let i = 0; i < n; i++) unit.record(unit.admit(), 'provider_error', 503, 20);
};

describe('endpoints of a provider', () => {
  it('are derived from the host for Bedrock regions, Vertex AI regions and Azure OpenAI resources', () => {
    const r = registry();
    const east = r.providerForOrigin('https://bedrock-runtime.us-east-1.amazonaws.com');
    const west = r.providerForOrigin('https://bedrock-runtime.eu-west-1.amazonaws.com');
    expect(east?.name).toBe('aws.bedrock@us-east-1');
    expect(west?.name).toBe('aws.bedrock@eu-west-1');
    expect(east?.endpoint).toEqual({
      key: 'us-east-1',
      region: 'us-east-1',
      address: 'bedrock-runtime.us-east-1.amazonaws.com',
    });
    expect(east?.providerName).toBe('aws.bedrock');
    expect(r.providerForOrigin('https://europe-west4-aiplatform.googleapis.com')?.name).toBe(
      'gcp.vertex_ai@europe-west4',
    );
    // The global Vertex host has no region: requests go to the provider itself.
    expect(r.providerForOrigin('https://aiplatform.googleapis.com')?.name).toBe('gcp.vertex_ai');
    const azure = r.providerForOrigin('https://my-resource.openai.azure.com');
    expect(azure?.name).toBe('azure.ai.openai@my-resource');
    expect(azure?.endpoint?.region).toBeUndefined();
    // The same host is the same endpoint, by any path (node:http's host and port, too).
    expect(r.providerForHost('bedrock-runtime.us-east-1.amazonaws.com', 443)).toBe(east);
    expect(r.getProvider('aws.bedrock@us-east-1')).toBe(east);
    expect(r.getProvider('bedrock@US-EAST-1')).toBe(east);
  });

  it('each have their own breaker: one region open leaves the provider degraded; all open, unavailable', () => {
    const r = registry();
    const east = r.providerForOrigin('https://bedrock-runtime.us-east-1.amazonaws.com') as Provider;
    const west = r.providerForOrigin('https://bedrock-runtime.eu-west-1.amazonaws.com') as Provider;
    const bedrock = r.getProvider('aws.bedrock') as Provider;
    west.record(west.admit(), 'success', 200, 20);
    fail(east, 5);
    expect(east.breaker.state).toBe('open');
    expect(west.breaker.state).toBe('closed');
    expect(west.admit()).toBeGreaterThanOrEqual(0);
    expect(bedrock.getHealthReport()).toEqual({ status: 'degraded', reasons: ['endpoints'] });
    fail(west, 5);
    expect(bedrock.getHealthReport()).toEqual({ status: 'unavailable', reasons: ['circuit_open'] });
    east.reset();
    west.reset();
    expect(bedrock.getHealthStatus()).toBe('available');
  });

  it('announce their own status changes, and the provider its aggregate', () => {
    const r = registry();
    const changes: string[] = [];
    r.events.on('status', (event) => changes.push(`${event.provider}:${event.status}`));
    const east = r.providerForOrigin('https://bedrock-runtime.us-east-1.amazonaws.com') as Provider;
    r.providerForOrigin('https://bedrock-runtime.eu-west-1.amazonaws.com');
    fail(east, 5);
    expect(changes).toEqual(['aws.bedrock@us-east-1:unavailable', 'aws.bedrock:degraded']);
  });

  it('rank for failover: pickHealthy moves traffic to the healthy region first', () => {
    const r = configureRegistry({ server: false });
    const east = r.providerForOrigin('https://bedrock-runtime.us-east-1.amazonaws.com') as Provider;
    r.providerForOrigin('https://bedrock-runtime.eu-west-1.amazonaws.com');
    fail(east, 5);
    expect(pickHealthy(['aws.bedrock@us-east-1', 'aws.bedrock@eu-west-1', 'anthropic'])).toEqual([
      'aws.bedrock@eu-west-1',
      'anthropic',
    ]);
    // The provider as a whole is degraded, not gone: it stays a candidate after the healthy ones.
    expect(pickHealthy(['aws.bedrock', 'anthropic'])).toEqual(['anthropic', 'aws.bedrock']);
  });

  it('can be named in configuration, also from the environment (name@endpoint=host)', () => {
    const r = registry({
      providers: {
        openai: {
          endpoints: {
            eu: { hosts: ['eu.llm-gateway.test'], region: 'eu-west-1' },
            us: { hosts: ['us.llm-gateway.test'] },
          },
        },
      },
    });
    expect(r.providerForOrigin('https://eu.llm-gateway.test')?.endpoint).toEqual({
      key: 'eu',
      region: 'eu-west-1',
      address: 'eu.llm-gateway.test',
    });
    expect(r.providerForOrigin('https://us.llm-gateway.test')?.name).toBe('openai@us');
    expect(r.providerForOrigin('https://api.openai.com')?.name).toBe('openai');
    const layer = readEnvOptions({
      PROVIDER_HEALTH_PROVIDERS: 'openai@eu=127.0.0.1:4010,openai@us=127.0.0.1:4011',
    });
    expect(layer.providers?.get('openai')?.endpoints).toEqual({
      eu: { hosts: ['127.0.0.1:4010'] },
      us: { hosts: ['127.0.0.1:4011'] },
    });
  });

  it(`are bounded: at most ${MAX_ENDPOINTS} apart, then one shared "other"`, () => {
    const r = registry();
    const names = new Set<string>();
    for (let i = 0; i < MAX_ENDPOINTS + 10; i++) {
      names.add(r.providerForOrigin(`https://r${i}.openai.azure.com`)?.name ?? '');
    }
    expect(names.size).toBe(MAX_ENDPOINTS + 1);
    expect(names.has('azure.ai.openai@other')).toBe(true);
  });

  it('show in the health JSON, and carry server.address and cloud.region on their metrics', async () => {
    const r = registry();
    const east = r.providerForOrigin('https://bedrock-runtime.us-east-1.amazonaws.com') as Provider;
    r.providerForOrigin('https://bedrock-runtime.eu-west-1.amazonaws.com');
    fail(east, 5);
    const view = providersView(r).providers['aws.bedrock'];
    expect(view?.status).toBe('degraded');
    expect(view?.endpoints['us-east-1']).toMatchObject({
      name: 'aws.bedrock@us-east-1',
      status: 'unavailable',
      circuit_state: 'open',
      region: 'us-east-1',
      address: 'bedrock-runtime.us-east-1.amazonaws.com',
    });
    const reader = new CollectingReader();
    createProviderInstruments(new MeterProvider({ readers: [reader] }).getMeter('t'), r);
    const all = await reader.metrics();
    const open = metricNamed(all, METRICS.circuitState.otelName).dataPoints.find(
      (point) => point.attributes[ATTR.circuitState] === 'open' && point.value === 1,
    );
    expect(open?.attributes).toMatchObject({
      [ATTR.provider]: 'aws.bedrock',
      [ATTR.serverAddress]: 'bedrock-runtime.us-east-1.amazonaws.com',
      [ATTR.cloudRegion]: 'us-east-1',
    });
    const up = metricNamed(all, METRICS.up.otelName).dataPoints;
    expect(up).toEqual([
      expect.objectContaining({ attributes: { [ATTR.provider]: 'aws.bedrock' }, value: 0 }),
    ]);
  });
});
