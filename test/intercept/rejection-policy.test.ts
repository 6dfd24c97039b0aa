import { describe, expect, it } from 'vitest';
import { answerWithError } from '../../src/intercept/rejection-policy.js';

// Request headers as each client sends them (README, "Compatibility").
const CLIENTS: ReadonlyArray<[string, Record<string, string>, 'reply' | 'error']> = [
  ['openai', { 'user-agent': 'OpenAI/JS 6.49.0', 'x-stainless-lang': 'js' }, 'reply'],
  [
    'LangChain (inner openai)',
    { 'user-agent': 'langchainjs-openai/1.0.0 ((node/v20.20.2; linux; x64))', 'x-stainless-lang': 'js' },
    'reply',
  ],
  [
    'AI SDK generateText',
    { 'user-agent': 'ai/6.0.333 ai-sdk/provider-utils/4.0.66 runtime/node.js/v20.20.2' },
    'reply',
  ],
  [
    'AI SDK streamText',
    { 'user-agent': 'ai-sdk/openai/3.0.141 ai-sdk/provider-utils/4.0.66 runtime/node.js/v20.20.2' },
    'reply',
  ],
  ['fal', { 'user-agent': '@fal-ai/client/1.10.1' }, 'reply'],
  ['replicate', { 'user-agent': 'replicate-javascript/1.4.0' }, 'reply'],
  ['cohere', { 'user-agent': 'cohere-ai/8.1.0', 'x-fern-sdk-name': 'cohere-ai' }, 'error'],
  ['@google/genai', { 'user-agent': 'google-genai-sdk/2.32.0 gl-node/v20.20.2' }, 'error'],
  ['mistral', { 'user-agent': 'mistral-client-typescript/2.7.0' }, 'error'],
  ['axios', { 'user-agent': 'axios/1.21.1' }, 'error'],
  [
    'AWS SDK',
    {
      'user-agent':
        'aws-sdk-js/3.1177.0 ua/2.1 os/linux lang/js md/nodejs#20.20.2 api/bedrock-runtime#3.1177.0',
    },
    'error',
  ],
];

describe('answerWithError: REJECT_WITH=error, except for clients that retry connection errors', () => {
  it.each(CLIENTS)('%s gets the %s', (_client, headers, expected) => {
    expect(answerWithError('error', headers, false) ? 'error' : 'reply').toBe(expected);
    // undici's flat array of names and values.
    const flat = Object.entries(headers).flat();
    expect(answerWithError('error', flat, false) ? 'error' : 'reply').toBe(expected);
  });

  it('gRPC always gets the reply, and the default (response) always the reply', () => {
    expect(answerWithError('error', { 'user-agent': 'grpc-node-js/1.14.7' }, true)).toBe(false);
    expect(answerWithError('response', { 'user-agent': 'axios/1.21.1' }, false)).toBe(false);
  });
});
