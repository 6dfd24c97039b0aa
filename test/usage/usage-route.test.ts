import { describe, expect, it } from 'vitest';
import { modelFromPath, usageRouteOf } from '../../src/usage/index.js';

describe('which requests report usage', () => {
  it('OpenAI and compatible APIs: chat, responses, completions, embeddings (query and prefixes allowed)', () => {
    expect(usageRouteOf('openai', 'POST', '/v1/chat/completions')?.operation).toBe('chat');
    expect(
      usageRouteOf('openai', 'POST', '/openai/deployments/gpt4/chat/completions?api-version=2024-10-21')
        ?.operation,
    ).toBe('chat');
    expect(usageRouteOf('openai', 'POST', '/openai/v1/chat/completions')?.operation).toBe('chat');
    expect(usageRouteOf('openai', 'POST', '/v1/responses')?.operation).toBe('chat');
    expect(usageRouteOf('openai', 'POST', '/v1/completions')?.operation).toBe('text_completion');
    expect(usageRouteOf('openai', 'POST', '/v1/embeddings')?.operation).toBe('embeddings');
    expect(usageRouteOf('openai', 'GET', '/v1/models')).toBeUndefined();
    expect(usageRouteOf('openai', 'POST', '/v1/files')).toBeUndefined();
    expect(usageRouteOf('openai', 'GET', '/v1/responses/resp_1')).toBeUndefined();
  });

  it('Anthropic Messages (not count_tokens, not batches), Gemini, Bedrock Converse', () => {
    expect(usageRouteOf('anthropic', 'POST', '/v1/messages?beta=true')?.operation).toBe('chat');
    expect(usageRouteOf('anthropic', 'POST', '/v1/messages/count_tokens')).toBeUndefined();
    expect(usageRouteOf('anthropic', 'POST', '/v1/messages/batches')).toBeUndefined();
    expect(
      usageRouteOf('gemini', 'POST', '/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse')
        ?.operation,
    ).toBe('generate_content');
    expect(usageRouteOf('gemini', 'POST', '/v1beta/models/gemini-2.0-flash:countTokens')).toBeUndefined();
    expect(usageRouteOf('bedrock', 'POST', '/model/anthropic.claude-v2/converse')?.operation).toBe('chat');
    expect(usageRouteOf('bedrock', 'POST', '/model/anthropic.claude-v2/converse-stream')?.operation).toBe(
      'chat',
    );
    expect(usageRouteOf('bedrock', 'POST', '/model/anthropic.claude-v2/invoke')).toBeUndefined();
    expect(usageRouteOf(undefined, 'POST', '/v1/chat/completions')).toBeUndefined();
    expect(usageRouteOf('openai', undefined, '/v1/chat/completions')).toBeUndefined();
  });

  it('the model a path names, decoded and bounded', () => {
    expect(modelFromPath('/v1beta/models/gemini-2.0-flash:generateContent?key=x')).toBe('gemini-2.0-flash');
    expect(
      modelFromPath(
        '/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.5-pro:streamGenerateContent',
      ),
    ).toBe('gemini-2.5-pro');
    expect(modelFromPath('/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse')).toBe(
      'anthropic.claude-3-5-sonnet-20240620-v1:0',
    );
    expect(modelFromPath('/model/%E0%A4%A/converse')).toBeUndefined();
    expect(modelFromPath(`/model/${'m'.repeat(200)}/converse`)).toBeUndefined();
    expect(modelFromPath('/v1/chat/completions')).toBeUndefined();
  });
});
