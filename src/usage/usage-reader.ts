import { HeadTail } from './head-tail.js';
import { firstStringAt, lastObjectAt } from './json-scan.js';
import { fieldsOf, UsageCounts, type UsageFields } from './usage-fields.js';
import type { UsageFormat } from './usage-format.js';

/** How a response body is read for usage: one JSON document, or server-sent events line by line. */
export type BodyKind = 'json' | 'sse';

/**
 * From the response's `content-type`: JSON, server-sent events, or Bedrock's binary event stream
 * (read like JSON: the usage of its last, `metadata`, event is JSON inside the tail). Anything
 * else (gRPC, binary) is not read.
 */
export function bodyKindOf(contentType: string | null | undefined): BodyKind | undefined {
  if (typeof contentType !== 'string') return undefined;
  const type = contentType.toLowerCase();
  if (type.includes('text/event-stream')) return 'sse';
  if (type.includes('json') || type.includes('application/vnd.amazon.eventstream')) return 'json';
  return undefined;
}

/** The first bytes of a body or of an event, where the model is named. */
export const HEAD_BYTES = 2 * 1024;
/** The last bytes, where the usage is: after the content, so it survives any length of answer. */
export const TAIL_BYTES = 8 * 1024;

const LF = 0x0a;
const CR = 0x0d;
const DATA = Buffer.from('data:', 'latin1');

function isDataLine(text: Uint8Array, start: number, end: number): boolean {
  if (end - start < DATA.length) return false;
  for (let i = 0; i < DATA.length; i++) if (text[start + i] !== DATA[i]) return false;
  return true;
}

const NULL = Buffer.from('null', 'latin1');

/**
 * Where `key` next occurs in `chunk` from `from` other than as `"key":null`, or -1. OpenAI's
 * streams send `"usage":null` in every chunk but the last: those are skipped with a byte check,
 * not searched for an object. Anything else (an object, odd spacing) is a hit, judged later.
 */
function usageAt(chunk: Buffer, key: Buffer, from: number): number {
  let at = chunk.indexOf(key, from);
  while (at >= 0) {
    const colon = at + key.length;
    const value = colon + 1;
    if (chunk[colon] !== 0x3a || chunk.length < value + NULL.length) return at;
    for (let i = 0; i < NULL.length; i++) if (chunk[value + i] !== NULL[i]) return at;
    at = chunk.indexOf(key, value + NULL.length);
  }
  return -1;
}

/**
 * Reads token usage out of a response body as it streams past, in fixed memory (a head and a
 * tail of at most HEAD_BYTES + TAIL_BYTES: of the body for JSON, of the current line for
 * server-sent events), and without parsing anything but the usage object itself. Events are
 * looked at only when their line holds the usage or model key; a chunk is searched for each key
 * once, natively, so the cost grows with the bytes, not with the lines.
 */
export class UsageReader {
  private readonly fields: UsageFields;
  private readonly text = new HeadTail(HEAD_BYTES, TAIL_BYTES);
  private readonly counts: UsageCounts;
  private ended = false;
  /**
   * A JSON body that so far came in one chunk of at most HEAD_BYTES + TAIL_BYTES (most
   * non-streamed answers): that chunk itself, read at the end without a copy into `text`. The
   * caller got the same chunk; nothing here writes to it.
   */
  private only: Buffer | undefined;
  /** The model the response names (`model`, Gemini's `modelVersion`), when it names one. */
  model: string | undefined;
  /** Whether a usage object was read. */
  found = false;

  constructor(
    format: UsageFormat,
    private readonly kind: BodyKind,
  ) {
    this.fields = fieldsOf(format);
    this.counts = new UsageCounts(this.fields);
  }

  get inputTokens(): number {
    return this.counts.input;
  }

  get outputTokens(): number {
    return this.counts.output;
  }

  feed(chunk: Uint8Array): void {
    if (this.ended || chunk.length === 0) return;
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    if (this.kind === 'json') this.feedJson(bytes);
    else this.feedEvents(bytes);
  }

  private feedJson(bytes: Buffer): void {
    const only = this.only;
    if (only === undefined && this.text.total === 0 && bytes.length <= HEAD_BYTES + TAIL_BYTES) {
      this.only = bytes;
      return;
    }
    if (only !== undefined) {
      this.only = undefined;
      this.text.append(only, 0, only.length);
    }
    this.text.append(bytes, 0, bytes.length);
  }

  /** The body ended (or broke off): reads what the JSON text holds; an unfinished event line is dropped. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.kind === 'sse') return;
    const { modelKey, usageKey } = this.fields;
    const whole = this.only ?? this.text.wholeView();
    this.only = undefined;
    if (whole !== undefined) {
      if (modelKey !== undefined) this.model = firstStringAt(whole, modelKey);
      this.readUsage(whole, usageKey, 0, whole.length);
      return;
    }
    const head = this.text.headView();
    const tail = this.text.tailView();
    if (modelKey !== undefined) this.model = firstStringAt(head, modelKey) ?? firstStringAt(tail, modelKey);
    this.readUsage(tail, usageKey, 0, tail.length);
  }

  private readUsage(text: Buffer, key: Buffer, start: number, end: number): void {
    const usage = lastObjectAt(text, key, start, end);
    if (usage !== undefined && this.counts.take(usage)) this.found = true;
  }

  private feedEvents(chunk: Buffer): void {
    const { usageKey, modelKey } = this.fields;
    const line = this.text;
    let usageHit = usageAt(chunk, usageKey, 0);
    let modelHit = this.model === undefined && modelKey !== undefined ? chunk.indexOf(modelKey) : -1;
    if (usageHit < 0 && modelHit < 0 && line.total === 0) {
      // Nothing to read in this chunk (most events of a stream): only a line it leaves
      // unfinished is kept, for a key the next chunk completes.
      if (chunk[chunk.length - 1] === LF) return;
      line.append(chunk, chunk.lastIndexOf(LF) + 1, chunk.length);
      return;
    }
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(LF, start);
      if (newline < 0) {
        line.append(chunk, start, chunk.length);
        return;
      }
      if (line.total > 0) {
        // A line that began in an earlier chunk: its parts are searched together, so a key cut
        // in two by a chunk boundary is still found.
        line.append(chunk, start, newline);
        this.bufferedLine();
        line.reset();
      } else if ((usageHit >= 0 && usageHit < newline) || (modelHit >= 0 && modelHit < newline)) {
        const end = newline > start && chunk[newline - 1] === CR ? newline - 1 : newline;
        if (isDataLine(chunk, start, end)) this.dataLine(chunk, start, end);
      }
      start = newline + 1;
      if (usageHit >= 0 && usageHit < start) usageHit = usageAt(chunk, usageKey, start);
      if (modelHit >= 0 && modelHit < start)
        modelHit = this.model === undefined && modelKey !== undefined ? chunk.indexOf(modelKey, start) : -1;
    }
  }

  private bufferedLine(): void {
    const whole = this.text.wholeView();
    if (whole !== undefined) {
      const end = whole.length > 0 && whole[whole.length - 1] === CR ? whole.length - 1 : whole.length;
      if (isDataLine(whole, 0, end)) this.dataLine(whole, 0, end);
      return;
    }
    // Longer than head and tail together (the Responses API's `response.completed` repeats the
    // whole answer): the model is in its head, the usage in its tail.
    const head = this.text.headView();
    if (!isDataLine(head, 0, head.length)) return;
    const { modelKey, usageKey } = this.fields;
    if (this.model === undefined && modelKey !== undefined) this.model = firstStringAt(head, modelKey);
    const tail = this.text.tailView();
    const end = tail.length > 0 && tail[tail.length - 1] === CR ? tail.length - 1 : tail.length;
    this.readUsage(tail, usageKey, 0, end);
  }

  private dataLine(text: Buffer, start: number, end: number): void {
    const { modelKey, usageKey } = this.fields;
    if (this.model === undefined && modelKey !== undefined)
      this.model = firstStringAt(text, modelKey, start, end);
    this.readUsage(text, usageKey, start, end);
  }
}
