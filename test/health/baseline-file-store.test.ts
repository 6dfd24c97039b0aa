import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { BaselineData, BaselineHour } from '../../src/health/baseline-data.js';
import { FileBaselineStore, MAX_BASELINE_FILE_BYTES } from '../../src/health/baseline-file-store.js';

const root = mkdtempSync(join(tmpdir(), 'provider-health-baselines-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

let counter = 0;
const freshDir = () => join(root, `d${counter++}`);

function data(provider = 'openai'): BaselineData {
  const hours: Array<BaselineHour | null> = Array.from({ length: 168 }, () => null);
  hours[10] = [812.5, 0.004, 2.5, 480_010];
  hours[167] = [1_500, 0, 0.25, 480_100];
  return { version: 1, provider, savedAt: '1970-01-01T00:00:00.000Z', hours };
}

/** The plugin's log lines written while `run` runs. */
async function logLines(run: () => Promise<unknown> | unknown): Promise<string[]> {
  const lines: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  await run();
  vi.restoreAllMocks();
  return lines;
}

describe('FileBaselineStore', () => {
  it('saves one JSON file per provider and loads it back, creating the directory (0700, files 0600)', async () => {
    const dir = join(freshDir(), 'nested');
    const store = new FileBaselineStore(dir);
    await store.save(data());
    expect(readdirSync(dir)).toEqual(['baseline-openai.json']);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(store.fileOf('openai')).mode & 0o777).toBe(0o600);
    expect(await store.load('openai')).toEqual(data());
    expect(store.loadSync('openai')).toEqual(data());
    expect(readFileSync(store.fileOf('openai'), 'utf8').length).toBeLessThan(2_000);
  });

  it('replaces the file atomically, leaving no temporary file behind (async and at exit)', async () => {
    const store = new FileBaselineStore(freshDir());
    await store.save(data());
    const changed = { ...data(), savedAt: '1970-01-02T00:00:00.000Z' };
    await store.save(changed);
    store.saveSync({ ...changed, savedAt: '1970-01-03T00:00:00.000Z' });
    expect(readdirSync(store.dir)).toEqual(['baseline-openai.json']);
    expect((await store.load('openai'))?.savedAt).toBe('1970-01-03T00:00:00.000Z');
  });

  it('has nothing for a provider it never saw, without a log line', async () => {
    const store = new FileBaselineStore(freshDir());
    expect(await logLines(() => store.load('anthropic'))).toEqual([]);
    expect(await store.load('anthropic')).toBeUndefined();
  });

  const hostile: Array<[string, string | Buffer, RegExp]> = [
    ['not JSON', '{"version":1,', /not valid JSON/],
    ['not an object', '[1,2,3]', /not a JSON object/],
    ['another version', JSON.stringify({ ...data(), version: 2 }), /unknown version 2/],
    ['another provider', JSON.stringify(data('anthropic')), /for another provider/],
    ['too few hours', JSON.stringify({ ...data(), hours: [] }), /array of 168/],
    [
      'a NaN smuggled as a string',
      JSON.stringify({ ...data(), hours: data().hours.map((h, i) => (i === 3 ? ['NaN', 0, 1, 1] : h)) }),
      /hours\[3\] has a bad p95/,
    ],
    [
      'a failure rate above 1',
      JSON.stringify({ ...data(), hours: data().hours.map((h, i) => (i === 4 ? [100, 7, 1, 1] : h)) }),
      /hours\[4\] has a bad failure rate/,
    ],
    [
      'a huge weight',
      JSON.stringify({ ...data(), hours: data().hours.map((h, i) => (i === 5 ? [100, 0, 1e300, 1] : h)) }),
      /hours\[5\] has a bad weight/,
    ],
    [
      'a fractional hour',
      JSON.stringify({ ...data(), hours: data().hours.map((h, i) => (i === 6 ? [100, 0, 1, 1.5] : h)) }),
      /hours\[6\] has a bad hour/,
    ],
    [
      'an entry that is an object',
      JSON.stringify({ ...data(), hours: data().hours.map((h, i) => (i === 7 ? { __proto__: 1 } : h)) }),
      /hours\[7\] is not/,
    ],
    ['more than 64 KiB', `{"pad":"${'x'.repeat(MAX_BASELINE_FILE_BYTES)}"}`, /larger than 65536 bytes/],
    ['binary garbage', Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x7b]), /not valid JSON/],
  ];
  it.each(hostile)('ignores a file that is %s, with one log line naming it', async (_name, content, why) => {
    const store = new FileBaselineStore(freshDir());
    mkdirSync(store.dir, { recursive: true });
    writeFileSync(store.fileOf('openai'), content);
    const lines = await logLines(async () => {
      expect(await store.load('openai')).toBeUndefined();
      expect(await store.load('openai')).toBeUndefined();
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`ignoring the baseline file ${store.fileOf('openai')}`);
    expect(lines[0]).toMatch(why);
    expect(Object.prototype).not.toHaveProperty('version');
  });

  it('does not follow a symbolic link planted where the file goes, reading or writing', async () => {
    const store = new FileBaselineStore(freshDir());
    mkdirSync(store.dir, { recursive: true });
    const elsewhere = join(root, `elsewhere-${counter++}.json`);
    writeFileSync(elsewhere, JSON.stringify(data()));
    symlinkSync(elsewhere, store.fileOf('openai'));
    const lines = await logLines(async () => expect(await store.load('openai')).toBeUndefined());
    expect(lines.join('')).toMatch(/ELOOP|not a regular file/);
    // A save replaces the link itself; the file it pointed at is untouched.
    await store.save({ ...data(), savedAt: 'new' });
    expect(JSON.parse(readFileSync(elsewhere, 'utf8')).savedAt).toBe('1970-01-01T00:00:00.000Z');
    expect((await store.load('openai'))?.savedAt).toBe('new');
  });

  it('ignores a directory where the file goes', async () => {
    const store = new FileBaselineStore(freshDir());
    mkdirSync(store.fileOf('openai'), { recursive: true });
    const lines = await logLines(async () => expect(await store.load('openai')).toBeUndefined());
    expect(lines).toHaveLength(1);
  });

  it('never throws when it cannot write: one log line, and the baseline stays in memory', async () => {
    // A directory under a regular file cannot be created, whoever runs the test (root included).
    const file = join(root, `a-file-${counter++}`);
    writeFileSync(file, '');
    const dir = join(file, 'baselines');
    const store = new FileBaselineStore(dir);
    const lines = await logLines(async () => {
      await store.save(data());
      store.saveSync(data());
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`cannot save baselines in ${dir}`);
    expect(lines[0]).toMatch(/ENOTDIR|EEXIST/);
  });
});
