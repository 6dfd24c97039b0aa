import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { converseStreamEvent } from '../../fake-provider/eventstream.js';
import { bodyKindOf, TAIL_BYTES, UsageReader } from '../../src/usage/index.js';
import type { UsageFormat } from '../../src/usage/usage-format.js';
import * as body from './payloads.js';

/** Feeds `text` in the given pieces (split points) and returns what the reader found. */
function read(format: UsageFormat, kind: 'json' | 'sse', text: string | Buffer, splits: number[] = []) {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const reader = new UsageReader(format, kind);
  let at = 0;
  for (const split of [...splits].sort((a, b) => a - b)) {
    reader.feed(bytes.subarray(at, split));
    at = split;
  }
  reader.feed(bytes.subarray(at));
  reader.end();
  return { found: reader.found, input: reader.inputTokens, output: reader.outputTokens, model: reader.model };
}

describe('the usage reader, per wire format', () => {
  it('OpenAI Chat Completions: JSON usage and the model', () => {
    expect(read('openai', 'json', body.openaiChatJson())).toEqual({
      found: true,
      input: 12,
      output: 34,
      model: 'gpt-4o-mini-2024-07-18',
    });
  });

  it('OpenAI Chat Completions, streamed with include_usage: the final chunk; `usage: null` chunks are skipped', () => {
    expect(read('openai', 'sse', body.openaiChatSse())).toEqual({
      found: true,
      input: 12,
      output: 3,
      model: 'gpt-4o-mini-2024-07-18',
    });
  });

  it('OpenAI Chat Completions streamed without include_usage: nothing found', () => {
    const text = body.openaiChatSse().replace(/data: [^\n]*"usage":\{[^\n]*\n\n/, '');
    expect(read('openai', 'sse', text).found).toBe(false);
  });

  it('OpenAI Responses: JSON, and the stream`s response.completed (a tool schema with a `usage` property is not the usage)', () => {
    expect(read('openai', 'json', body.openaiResponsesJson('Hi'))).toMatchObject({
      input: 9,
      output: 50,
      model: 'gpt-4o-2024-08-06',
    });
    expect(read('openai', 'sse', body.openaiResponsesSse('Hi'))).toMatchObject({
      input: 9,
      output: 50,
      model: 'gpt-4o-2024-08-06',
    });
  });

  it('Anthropic Messages: JSON (cached input counts as input), and the stream`s message_start and message_delta', () => {
    expect(read('anthropic', 'json', body.anthropicJson())).toEqual({
      found: true,
      input: 30,
      output: 15,
      model: 'claude-sonnet-4-5-20250929',
    });
    expect(read('anthropic', 'sse', body.anthropicSse())).toEqual({
      found: true,
      input: 30,
      output: 15,
      model: 'claude-sonnet-4-5-20250929',
    });
  });

  it('Anthropic: a message_delta that repeats only some input counters replaces those, never the others, and never adds', () => {
    // The SDK's MessageStream (@anthropic-ai/sdk 1.16, lib/MessageStream.js) overwrites each
    // counter message_delta reports and keeps the ones it leaves out.
    const text = body
      .anthropicSse()
      .replace('"usage":{"output_tokens":15}', '"usage":{"cache_read_input_tokens":7,"output_tokens":15}');
    expect(text).toContain('"cache_read_input_tokens":7');
    // message_start: input 25 + cache creation 0 + cache read 5; message_delta: cache read now 7.
    expect(read('anthropic', 'sse', text)).toMatchObject({ found: true, input: 32, output: 15 });
    const repeated = body
      .anthropicSse()
      .replace(
        '"usage":{"output_tokens":15}',
        '"usage":{"input_tokens":25,"cache_creation_input_tokens":0,"cache_read_input_tokens":5,"output_tokens":15}',
      );
    expect(read('anthropic', 'sse', repeated)).toMatchObject({ found: true, input: 30, output: 15 });
  });

  it('Gemini: a later chunk that leaves out thoughtsTokenCount keeps the earlier value', () => {
    const chunk = (usage: Record<string, number>) =>
      `data: ${JSON.stringify({ candidates: [], usageMetadata: usage, modelVersion: 'gemini-2.5-pro' })}\r\n\r\n`;
    const text =
      chunk({ promptTokenCount: 10, candidatesTokenCount: 1, thoughtsTokenCount: 40 }) +
      chunk({ promptTokenCount: 10, candidatesTokenCount: 20 });
    expect(read('gemini', 'sse', text)).toMatchObject({ found: true, input: 10, output: 60 });
  });

  it('Anthropic, a stream that broke after message_start: the input billed so far', () => {
    const text = body.anthropicSse();
    const cut = text.indexOf('event: message_delta');
    expect(read('anthropic', 'sse', text.slice(0, cut))).toMatchObject({ found: true, input: 30, output: 1 });
  });

  it('Gemini: spaced JSON with modelVersion last, and the CRLF stream whose last chunk counts (thoughts are output)', () => {
    expect(read('gemini', 'json', body.geminiJson())).toEqual({
      found: true,
      input: 8,
      output: 3,
      model: 'gemini-2.0-flash-001',
    });
    expect(read('gemini', 'sse', body.geminiSse())).toEqual({
      found: true,
      input: 8,
      output: 7,
      model: 'gemini-2.0-flash',
    });
  });

  it('Bedrock Converse JSON, and the metadata event of ConverseStream`s binary event stream', () => {
    expect(read('bedrock', 'json', body.bedrockConverseJson())).toEqual({
      found: true,
      input: 12,
      output: 5,
      model: undefined,
    });
    const stream = Buffer.concat([
      converseStreamEvent('messageStart', { role: 'assistant', p: 'abcd' }),
      converseStreamEvent('contentBlockDelta', {
        contentBlockIndex: 0,
        delta: { text: 'say "usage":{"inputTokens":1}' },
      }),
      converseStreamEvent('messageStop', { stopReason: 'end_turn' }),
      converseStreamEvent('metadata', {
        usage: { inputTokens: 21, outputTokens: 7, totalTokens: 28 },
        metrics: { latencyMs: 5 },
      }),
    ]);
    expect(bodyKindOf('application/vnd.amazon.eventstream')).toBe('json');
    expect(read('bedrock', 'json', stream)).toMatchObject({ found: true, input: 21, output: 7 });
  });
});

describe('the usage reader, bounded and robust', () => {
  const cases: Array<[string, UsageFormat, 'json' | 'sse', string, number, number]> = [
    ['openai json', 'openai', 'json', body.openaiChatJson(), 12, 34],
    ['openai sse', 'openai', 'sse', body.openaiChatSse(), 12, 3],
    ['responses sse', 'openai', 'sse', body.openaiResponsesSse('Hello'), 9, 50],
    ['anthropic sse', 'anthropic', 'sse', body.anthropicSse(), 30, 15],
    ['gemini sse', 'gemini', 'sse', body.geminiSse(), 8, 7],
    ['gemini json', 'gemini', 'json', body.geminiJson(), 8, 3],
  ];

  it.each(cases)(
    '%s: the same result wherever a chunk boundary falls (inside a key, a number, a CRLF)',
    (_, format, kind, text, input, output) => {
      const length = Buffer.byteLength(text);
      const { model } = read(format, kind, text);
      expect(model).toMatch(/^[a-z]/);
      for (let split = 1; split < length; split++) {
        const result = read(format, kind, text, [split]);
        expect({ split, input: result.input, output: result.output, model: result.model }).toEqual({
          split,
          input,
          output,
          model,
        });
      }
    },
  );

  it.each(cases)('%s: byte by byte, and in random pieces', (_, format, kind, text, input, output) => {
    const length = Buffer.byteLength(text);
    expect(
      read(
        format,
        kind,
        text,
        Array.from({ length: length - 1 }, (__, i) => i + 1),
      ),
    ).toMatchObject({ input, output });
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: length - 1 }), { maxLength: 12 }), (splits) => {
        const result = read(format, kind, text, splits);
        return result.input === input && result.output === output;
      }),
      { numRuns: 200 },
    );
  });

  it('a huge answer: usage at the end of a 5 MB JSON body and of a 5 MB response.completed event', () => {
    const long = 'x'.repeat(5 * 1024 * 1024);
    expect(read('openai', 'json', body.openaiChatJson(long), [1000, 70_000, 3_000_000])).toMatchObject({
      found: true,
      input: 12,
      output: 34,
      model: 'gpt-4o-mini-2024-07-18',
    });
    expect(read('openai', 'sse', body.openaiResponsesSse(long), [500, 4_000_000])).toMatchObject({
      found: true,
      input: 9,
      output: 50,
      model: 'gpt-4o-2024-08-06',
    });
  });

  it('text a model wrote never counts: a quoted `"usage":{…}` inside content is escaped', () => {
    const content = 'here: {"usage":{"prompt_tokens":999,"completion_tokens":999}}';
    expect(read('openai', 'json', body.openaiChatJson(content))).toMatchObject({ input: 12, output: 34 });
    const sse = body.openaiChatSse([content]).replace(/data: [^\n]*"usage":\{"prompt[^\n]*\n\n/, '');
    expect(read('openai', 'sse', sse).found).toBe(false);
  });

  it('a usage object cut off by the end of the body, or larger than the bound, is not read', () => {
    const text = body.openaiChatJson();
    expect(read('openai', 'json', text.slice(0, text.indexOf('"total_tokens"'))).found).toBe(false);
    const padded = text.replace('"total_tokens":46', `"total_tokens":46,"pad":"${'p'.repeat(TAIL_BYTES)}"`);
    expect(read('openai', 'json', padded).found).toBe(false);
  });

  it('junk: random bytes, wrong types, absurd numbers, never a throw', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 4000 }),
        fc.constantFrom<UsageFormat>('openai', 'anthropic', 'gemini', 'bedrock'),
        fc.boolean(),
        (bytes, format, sse) => {
          const result = read(format, sse ? 'sse' : 'json', Buffer.from(bytes), [bytes.length >> 1]);
          return result.input >= 0 && result.output >= 0;
        },
      ),
      { numRuns: 500 },
    );
    expect(read('openai', 'json', '{"usage":{"prompt_tokens":"12","completion_tokens":-3}}').found).toBe(
      false,
    );
    expect(read('openai', 'json', '{"usage":{"prompt_tokens":1e300,"completion_tokens":2}}')).toMatchObject({
      input: 0,
      output: 2,
    });
    expect(read('openai', 'json', '{"usage":[1,2]}').found).toBe(false);
    expect(read('openai', 'sse', 'data: {"usage":{"prompt_tokens":4}').found).toBe(false);
    expect(read('openai', 'json', '{"model":"a\\"b","usage":{"prompt_tokens":4}}')).toMatchObject({
      found: true,
      model: undefined,
    });
    // Strings inside the usage object may hold escaped quotes and braces.
    expect(
      read('openai', 'json', '{"usage":{"note":"a\\"}{\\\\","prompt_tokens":4,"completion_tokens":5}}'),
    ).toMatchObject({ input: 4, output: 5 });
  });

  it('only JSON, server-sent events and Bedrock`s event stream are read', () => {
    expect(bodyKindOf('application/json; charset=utf-8')).toBe('json');
    expect(bodyKindOf('text/event-stream')).toBe('sse');
    expect(bodyKindOf('application/grpc')).toBeUndefined();
    expect(bodyKindOf('text/html')).toBeUndefined();
    expect(bodyKindOf(undefined)).toBeUndefined();
  });
});
