/**
 * The demo's "service": started with `--require provider-health/register`, it keeps calling
 * OpenAI, Anthropic and fal.ai through their official SDKs, exactly as an app would: chat
 * routed by `pickHealthy` (OpenAI preferred, Anthropic as fallback), summaries that only
 * OpenAI serves, titles that only Anthropic serves, images from fal.ai. It knows nothing about
 * breakers beyond `pickHealthy`.
 * Every second it prints one JSON line of what it served, for the demo's terminal view.
 */
import Anthropic from '@anthropic-ai/sdk';
import { createFalClient } from '@fal-ai/client';
import OpenAI from 'openai';
import { pickHealthy } from 'provider-health';
import { falRequestMiddleware } from '../fake-provider/index.js';
import { emptyTraffic } from './terminal-view.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`demo client: ${name} is not set`);
  return value;
};

const openai = new OpenAI({ baseURL: `${env('DEMO_OPENAI_URL')}/v1`, apiKey: 'demo', maxRetries: 1 });
const anthropic = new Anthropic({ baseURL: env('DEMO_ANTHROPIC_URL'), apiKey: 'demo', maxRetries: 1 });
const fal = createFalClient({
  credentials: 'demo',
  requestMiddleware: falRequestMiddleware(env('DEMO_FAL_URL')),
});

const traffic = emptyTraffic();

async function askOpenAI(): Promise<void> {
  const stream = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    stream: true,
    messages: [{ role: 'user', content: 'Say hello' }],
  });
  for await (const _chunk of stream) {
    // Read to the end: the plugin measures a streamed completion until its stream ends.
  }
}

async function askAnthropic(): Promise<void> {
  await anthropic.messages.create({
    model: 'claude-sonnet-5-5',
    max_tokens: 64,
    messages: [{ role: 'user', content: 'Say hello' }],
  });
}

/**
 * One chat request: the healthiest provider first (OpenAI when both are fine), the next if it
 * fails. A degraded OpenAI (slow, or trending towards an outage) ranks after an available
 * Anthropic, so chat moves before OpenAI fails a single request.
 */
async function chat(): Promise<void> {
  for (const name of pickHealthy(['openai', 'anthropic'])) {
    try {
      if (name === 'openai') await askOpenAI();
      else await askAnthropic();
      const served = name === 'openai' ? 'openai' : 'anthropic';
      traffic[served]++;
      traffic.chatRoute = served;
      return;
    } catch {
      // Fall through to the next provider.
    }
  }
  traffic.chatFailed++;
}

/** A summary: only OpenAI does these here, so while its circuit is open they fail in microseconds. */
async function summary(): Promise<void> {
  try {
    await askOpenAI();
    traffic.summariesOk++;
  } catch {
    traffic.summariesFailed++;
  }
}

/** A title: only Anthropic does these here. */
async function title(): Promise<void> {
  try {
    await askAnthropic();
    traffic.titlesOk++;
  } catch {
    traffic.titlesFailed++;
  }
}

async function image(): Promise<void> {
  try {
    await fal.run('fal-ai/flux/schnell', { input: { prompt: 'a lighthouse in a storm' } });
    traffic.falOk++;
  } catch {
    traffic.falFailed++;
  }
}

function every(ms: number, task: () => Promise<void>): void {
  const tick = (): void => {
    void task().finally(() => setTimeout(tick, ms));
  };
  tick();
}

// Steady traffic, like a small service: two chat workers, one summary, one title and one image worker.
every(150, chat);
every(200, chat);
every(250, summary);
every(300, title);
every(600, image);
setInterval(() => {
  process.stdout.write(`${JSON.stringify({ type: 'traffic', ...traffic })}\n`);
}, 1000);
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
