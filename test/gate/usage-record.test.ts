import Anthropic from '@anthropic-ai/sdk';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { GoogleGenAI } from '@google/genai';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type FakeProvider, startFakeProvider } from '../../fake-provider/index.js';
import { installInterception, uninstallInterception } from '../../src/intercept/index.js';
import { configureRegistry } from '../../src/providers/global-registry.js';
import type { RecordedRequest } from '../../src/providers/provider-records.js';
import type { ProviderRegistry } from '../../src/providers/registry.js';
import { ATTR, METRICS } from '../../src/telemetry/metric-names.js';
import { createProviderInstruments } from '../../src/telemetry/metrics/instruments.js';
import { EVENTUALLY } from '../support/waits.js';
import { CollectingReader, metricNamed } from '../telemetry/support.js';

/**
 * Token usage read on the record path (docs/design.md, "Token usage and cost"), through real
 * client libraries against the fake provider on loopback: each wire format, streaming included,
 * what the caller reads left exactly as the provider sent it, and no body read without a rule.
 */
const TEXT = 'one two three four'; // the fake provider reports 10 input tokens, one output token per word
let multi: FakeProvider;
let google: FakeProvider;
let bedrock: FakeProvider;
let registry: ProviderRegistry;
const records: Array<{ provider: string; request: RecordedRequest }> = [];

beforeAll(async () => {
  [multi, google, bedrock] = await Promise.all([
    startFakeProvider({ flavor: 'multi' }),
    startFakeProvider({ flavor: 'google' }),
    startFakeProvider({ flavor: 'bedrock' }),
  ]);
  for (const fake of [multi, google, bedrock]) fake.setDefault({ kind: 'ok', text: TEXT });
  installInterception();
});

afterAll(async () => {
  uninstallInterception();
  await Promise.all([multi.close(), google.close(), bedrock.close()]);
});

function configure(tokenUsageMetric = true): ProviderRegistry {
  const host = (url: string) => new URL(url).host;
  registry = configureRegistry({
    server: false,
    tokenUsageMetric,
    providers: {
      openai: {
        hosts: [host(multi.url)],
        prices: { 'gpt-4o-mini': { input: 1000, output: 2000 } },
      },
      // The same loopback port cannot be two providers: Anthropic is reached under another name.
      anthropic: {
        hosts: [`localhost:${new URL(multi.url).port}`],
        prices: { '*': { input: 3000, output: 0 } },
      },
      gemini: { hosts: [host(google.url)] },
      bedrock: { hosts: [host(bedrock.url)] },
    },
  });
  records.length = 0;
  registry.events.on('record', (provider, request) => {
    records.push({
      provider: provider.name,
      request: { ...request, usage: request.usage && { ...request.usage } },
    });
  });
  return registry;
}

const lastUsage = async (count: number) => {
  await vi.waitFor(() => expect(records.length).toBe(count), EVENTUALLY);
  return records.at(-1)?.request.usage;
};

describe('token usage through real requests', () => {
  it('OpenAI chat, JSON and streamed (stream_options.include_usage), and the Responses API stream', async () => {
    configure();
    const client = new OpenAI({ baseURL: `${multi.url}/v1`, apiKey: 'test', maxRetries: 0 });
    const json = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
    });
    // What the caller reads is what the provider sent.
    expect(json.choices[0]?.message.content).toBe(TEXT);
    expect(json.usage?.completion_tokens).toBe(4);
    expect(await lastUsage(1)).toMatchObject({
      operation: 'chat',
      model: 'gpt-4o-mini',
      modelFromResponse: true,
      inputTokens: 10,
      outputTokens: 4,
      cost: (10 * 1000 + 4 * 2000) / 1e6,
    });

    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let streamed = '';
    for await (const chunk of stream) streamed += chunk.choices[0]?.delta.content ?? '';
    expect(streamed).toBe(TEXT);
    expect(await lastUsage(2)).toMatchObject({ inputTokens: 10, outputTokens: 4, model: 'gpt-4o-mini' });

    // Without include_usage a stream reports none: nothing is recorded, nothing invented.
    const bare = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    });
    for await (const _ of bare);
    expect(await lastUsage(3)).toBeUndefined();

    const responses = await client.responses.create({ model: 'gpt-4o-mini', input: 'hi', stream: true });
    for await (const _ of responses);
    expect(await lastUsage(4)).toMatchObject({ inputTokens: 10, outputTokens: 4, model: 'gpt-4o-mini' });
    const ledger = registry.getOrCreateProvider('openai').ledger;
    const slot = ledger.slotOf('gpt-4o-mini');
    expect(ledger.inputTokens[slot.index]).toBe(30);
    expect(ledger.outputTokens[slot.index]).toBe(12);
  });

  it('Anthropic messages streamed: input from message_start, output from message_delta', async () => {
    configure();
    const client = new Anthropic({
      baseURL: `http://localhost:${new URL(multi.url).port}`,
      apiKey: 'k',
      maxRetries: 0,
    });
    const stream = client.messages.stream({
      model: 'claude-sonnet-5-5',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'hi' }],
    });
    const message = await stream.finalMessage();
    expect(message.content[0]).toMatchObject({ type: 'text', text: TEXT });
    expect(await lastUsage(1)).toMatchObject({
      operation: 'chat',
      model: 'claude-sonnet-5-5',
      inputTokens: 10,
      outputTokens: 4,
      cost: (10 * 3000) / 1e6,
    });
  });

  it('Gemini usageMetadata (model from modelVersion) and Bedrock Converse over HTTP/1.1 (model from the path)', async () => {
    configure();
    const gemini = await fetch(`${google.url}/v1beta/models/gemini-2.5-flash:generateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ parts: [{ text: 'hi' }] }] }),
    });
    expect((await gemini.json()).candidates[0].content.parts[0].text).toBe(TEXT);
    expect(await lastUsage(1)).toMatchObject({
      operation: 'generate_content',
      model: 'gemini-2.5-flash',
      inputTokens: 10,
      outputTokens: 4,
      cost: 0,
    });

    const client = new BedrockRuntimeClient({
      region: 'us-east-1',
      endpoint: bedrock.url,
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
      maxAttempts: 1,
      requestHandler: new NodeHttpHandler(),
    });
    const answer = await client.send(
      new ConverseCommand({
        modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
        messages: [{ role: 'user', content: [{ text: 'hi' }] }],
      }),
    );
    expect(answer.usage).toMatchObject({ inputTokens: 10, outputTokens: 4 });
    expect(await lastUsage(2)).toMatchObject({
      operation: 'chat',
      model: 'anthropic.claude-3-haiku-20240307-v1:0',
      modelFromResponse: false,
      inputTokens: 10,
      outputTokens: 4,
    });
    client.destroy();
  });

  it('Gemini streamed through @google/genai (alt=sse, CRLF events): the last usageMetadata counts', async () => {
    configure();
    const genai = new GoogleGenAI({ apiKey: 'test', httpOptions: { baseUrl: google.url } });
    let streamed = '';
    for await (const chunk of await genai.models.generateContentStream({
      model: 'gemini-2.5-flash',
      contents: 'hi',
    }))
      streamed += chunk.text ?? '';
    expect(streamed).toBe(TEXT);
    expect(await lastUsage(1)).toMatchObject({
      operation: 'generate_content',
      model: 'gemini-2.5-flash',
      inputTokens: 10,
      outputTokens: 4,
    });
  });

  it('reads no body for a path without a usage rule, nor for a provider without one', async () => {
    configure();
    const models = await fetch(`${multi.url}/v1/models`);
    expect((await models.json()).data.length).toBeGreaterThan(0);
    expect(await lastUsage(1)).toBeUndefined();
    expect(registry.getOrCreateProvider('openai').ledger.slots).toHaveLength(0);
  });

  it('exports gen_ai.client.token.usage and ai_provider.cost, and the option turns the token metric off', async () => {
    for (const enabled of [true, false]) {
      configure(enabled);
      const reader = new CollectingReader();
      const meterProvider = new MeterProvider({ readers: [reader] });
      const instruments = createProviderInstruments(meterProvider.getMeter('t'), registry);
      const client = new OpenAI({ baseURL: `${multi.url}/v1`, apiKey: 'test', maxRetries: 0 });
      await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'hi' }],
      });
      await lastUsage(1);
      const all = await reader.metrics();
      const names = all.map((metric) => metric.descriptor.name);
      expect(names.includes(METRICS.tokenUsage.otelName)).toBe(enabled);
      if (enabled) {
        const tokens = metricNamed(all, METRICS.tokenUsage.otelName);
        expect(tokens.descriptor.unit).toBe('{token}');
        const points = tokens.dataPoints.map((point) => ({
          attributes: point.attributes,
          sum: (point.value as { sum: number }).sum,
        }));
        const base = {
          [ATTR.provider]: 'openai',
          [ATTR.operationName]: 'chat',
          [ATTR.responseModel]: 'gpt-4o-mini',
        };
        expect(points).toEqual(
          expect.arrayContaining([
            { attributes: { ...base, [ATTR.tokenType]: 'input' }, sum: 10 },
            { attributes: { ...base, [ATTR.tokenType]: 'output' }, sum: 4 },
          ]),
        );
      }
      const cost = metricNamed(all, METRICS.cost.otelName);
      expect(cost.descriptor.unit).toBe('{USD}');
      expect(cost.dataPoints.map((point) => [point.attributes, point.value])).toEqual([
        [
          { [ATTR.provider]: 'openai', [ATTR.responseModel]: 'gpt-4o-mini', [ATTR.outcome]: 'success' },
          (10 * 1000 + 4 * 2000) / 1e6,
        ],
      ]);
      instruments.dispose();
      await meterProvider.shutdown();
    }
  });
});
