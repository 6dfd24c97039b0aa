import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { mkdir, open, rename, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describeError, logOnce } from '../common/log.js';
import { type BaselineData, type BaselineStore, validateBaselineData } from './baseline-data.js';

// A valid file is ~8 KB; anything much larger is not one of ours, and is never read whole.
export const MAX_BASELINE_FILE_BYTES = 64 * 1024;
// Not following a symbolic link where the platform allows it: a link planted in a shared
// directory must not make the plugin read (or replace) another file.
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;

/**
 * Baselines kept as one small JSON file per provider, `baseline-<provider>.json`, in a directory
 * (`baselineDir`; docs/design.md, "Baselines and early warning"). Writes are atomic: a temporary
 * file created exclusively (never through an existing name or link), then renamed over the old
 * one, so a crash leaves the old file or the new one, never half of one. Reads are bounded and
 * validated: a corrupt, oversized or hostile file is ignored with one log line. Nothing here
 * throws.
 */
export class FileBaselineStore implements BaselineStore {
  readonly dir: string;
  readonly description: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
    this.description = `directory ${this.dir}`;
  }

  fileOf(provider: string): string {
    // Provider names are a safe alphabet (letters, digits, '.', '_', '-'): never a path separator.
    return join(this.dir, `baseline-${provider}.json`);
  }

  async load(provider: string): Promise<BaselineData | undefined> {
    const path = this.fileOf(provider);
    let text: string;
    try {
      const handle = await open(path, constants.O_RDONLY | NO_FOLLOW);
      try {
        const stat = await handle.stat();
        if (!stat.isFile()) return this.ignore(path, 'not a regular file');
        if (stat.size > MAX_BASELINE_FILE_BYTES)
          return this.ignore(path, `larger than ${MAX_BASELINE_FILE_BYTES} bytes`);
        const buffer = Buffer.alloc(MAX_BASELINE_FILE_BYTES + 1);
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
        if (bytesRead > MAX_BASELINE_FILE_BYTES)
          return this.ignore(path, `larger than ${MAX_BASELINE_FILE_BYTES} bytes`);
        text = buffer.toString('utf8', 0, bytesRead);
      } finally {
        await handle.close();
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return undefined;
      return this.ignore(path, describeError(error));
    }
    return this.parse(path, text, provider);
  }

  async save(data: BaselineData): Promise<void> {
    const path = this.fileOf(data.provider);
    const text = this.serialize(data);
    if (text === undefined) return;
    const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      await writeFile(temporary, text, { flag: 'wx', mode: 0o600 });
      await rename(temporary, path);
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      this.cannotWrite(error);
    }
  }

  saveSync(data: BaselineData): void {
    const path = this.fileOf(data.provider);
    const text = this.serialize(data);
    if (text === undefined) return;
    const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      writeFileSync(temporary, text, { flag: 'wx', mode: 0o600 });
      renameSync(temporary, path);
    } catch (error) {
      try {
        unlinkSync(temporary);
      } catch {
        // Never created.
      }
      this.cannotWrite(error);
    }
  }

  /** Reads synchronously; for tests and tools. */
  loadSync(provider: string): BaselineData | undefined {
    const path = this.fileOf(provider);
    let fd: number | undefined;
    try {
      fd = openSync(path, constants.O_RDONLY | NO_FOLLOW);
      const buffer = Buffer.alloc(MAX_BASELINE_FILE_BYTES + 1);
      const bytesRead = readSync(fd, buffer, 0, buffer.length, 0);
      if (bytesRead > MAX_BASELINE_FILE_BYTES)
        return this.ignore(path, `larger than ${MAX_BASELINE_FILE_BYTES} bytes`);
      return this.parse(path, buffer.toString('utf8', 0, bytesRead), provider);
    } catch (error) {
      if ((error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return undefined;
      return this.ignore(path, describeError(error));
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  private parse(path: string, text: string, provider: string): BaselineData | undefined {
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch {
      return this.ignore(path, 'not valid JSON');
    }
    const data = validateBaselineData(document, provider);
    return typeof data === 'string' ? this.ignore(path, data) : data;
  }

  private serialize(data: BaselineData): string | undefined {
    const text = JSON.stringify(data);
    if (text.length <= MAX_BASELINE_FILE_BYTES) return text;
    logOnce(
      'baseline:size',
      `a baseline for ${data.provider} is too large to save; it is kept in memory only`,
    );
    return undefined;
  }

  private ignore(path: string, why: string): undefined {
    logOnce(`baseline:${path}`, `ignoring the baseline file ${path}: ${why}; learning from scratch`);
    return undefined;
  }

  private cannotWrite(error: unknown): void {
    logOnce(
      `baseline:write:${this.dir}`,
      `cannot save baselines in ${this.dir}; they are kept in memory only`,
      error,
    );
  }
}
