import { describe, expect, it } from 'vitest';
import { parseHostPattern, parseProviderName, parseServer } from '../../src/config/index.js';
import { configErrorFrom } from './helpers.js';

describe('parseHostPattern', () => {
  it.each([
    ['api.openai.com', 'api.openai.com'],
    ['API.OpenAI.com', 'api.openai.com'],
    ['api.openai.com.', 'api.openai.com'],
    ['127.0.0.1:4010', '127.0.0.1:4010'],
    ['localhost', 'localhost'],
    ['localhost:8080', 'localhost:8080'],
    ['[::1]', '[::1]'],
    ['[::1]:4010', '[::1]:4010'],
    ['[0:0:0:0:0:0:0:1]:4010', '[::1]:4010'],
    ['[2001:DB8::1]', '[2001:db8::1]'],
    ['*.llm.internal', '*.llm.internal'],
    ['*-aiplatform.googleapis.com', '*-aiplatform.googleapis.com'],
    ['us-*.example.com', 'us-*.example.com'],
    ['api.*.example.com:443', 'api.*.example.com:443'],
    ['my_host.internal', 'my_host.internal'],
    ['*.example.co.uk', '*.example.co.uk'],
  ])('%s becomes %s', (input, expected) => {
    expect(parseHostPattern(input, 'k')).toBe(expected);
  });

  it.each([
    '',
    '*',
    '*.*',
    '*:443',
    'api.*',
    'api.example.c*',
    '*.*.com.*',
    // A wildcard keeps at least a registrable domain: not a bare suffix anyone registers under.
    '*.com',
    '*-ai.com',
    'api.*.com',
    '*.co.uk',
    '*.com.au',
    'api.*.co.uk',
    'https://api.openai.com',
    'api.openai.com/v1',
    'api.openai.com:',
    'api.openai.com:0',
    'api.openai.com:65536',
    'api.openai.com:http',
    '::1',
    '::1:4010',
    '[::1',
    '[::1]4010',
    '[not-v6]:80',
    '[*::1]',
    'a*b.example.com',
    '**.example.com',
    '*a*.example.com',
    '-api.example.com',
    'api-.example.com',
    'api..example.com',
    '.example.com',
    'exa mple.com',
    'bücher.example',
    '1.2.3.999',
    '010.0.0.1',
    '12345',
    `${'a'.repeat(64)}.com`,
    `${'a.'.repeat(127)}com`,
    'user@api.openai.com',
  ])('rejects %j', (input) => {
    const error = configErrorFrom(() => parseHostPattern(input, 'PROVIDER_HEALTH_PROVIDERS'));
    // Long values are cut short in the message; the start still identifies them.
    expect(error.message).toContain(`PROVIDER_HEALTH_PROVIDERS=${JSON.stringify(input).slice(0, 100)}`);
    expect(error.value).toBe(input);
    expect(error.message).toContain('expected a host pattern');
  });

  it.each([42, null, ['a.com']])('rejects the non-string %j', (input) => {
    expect(configErrorFrom(() => parseHostPattern(input, 'k')).value).toEqual(input);
  });
});

describe('parseProviderName', () => {
  it.each(['openai', 'my-llm', 'gcp.gemini', 'azure.ai.openai', 'a1_b'])('accepts %s', (name) => {
    expect(parseProviderName(name, 'k')).toBe(name);
  });
  it.each(['', 'OpenAI', '-x', '.x', '__proto__', 'a b', 'a/b', 'x'.repeat(65)])('rejects %j', (name) => {
    expect(configErrorFrom(() => parseProviderName(name, 'k')).accepted).toContain('provider name');
  });
});

describe('parseServer', () => {
  it.each([
    ['127.0.0.1:9465', { host: '127.0.0.1', port: 9465 }],
    ['0.0.0.0:80', { host: '0.0.0.0', port: 80 }],
    [':9000', { host: '127.0.0.1', port: 9000 }],
    ['9000', { host: '127.0.0.1', port: 9000 }],
    ['0', { host: '127.0.0.1', port: 0 }],
    ['localhost:9465', { host: 'localhost', port: 9465 }],
    ['[::1]:9465', { host: '::1', port: 9465 }],
    ['[::]:0', { host: '::', port: 0 }],
  ])('%s listens on %j', (input, expected) => {
    expect(parseServer(input, 'k')).toEqual(expected);
  });

  it('turns off with off or false', () => {
    expect(parseServer('off', 'k')).toBe(false);
    expect(parseServer(false, 'k')).toBe(false);
  });

  it.each([
    '',
    'on',
    'true',
    ':',
    ':99999',
    '65536',
    '::1:9465',
    '*.local:80',
    'host:port',
    '1.2.3.4:-1',
    'localhost',
    '[::1]',
    9465,
  ])('rejects %j', (input) => {
    const error = configErrorFrom(() => parseServer(input, 'PROVIDER_HEALTH_SERVER'));
    expect(error.message).toContain('PROVIDER_HEALTH_SERVER=');
    expect(error.message).toContain('expected host:port, :port, port, [IPv6]:port or off');
  });
});
