import { randomUUID } from 'node:crypto';
import { close, createReadStream, createWriteStream, fstat, open as openCallback, read } from 'node:fs';
import { access, constants, mkdir, open, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { BlobNotFoundError, type BlobStore } from '../../domain/ports.js';
import { assertBlobKey, createBlobMeter } from '../blob-meter.js';

const openFile = promisify(openCallback);
const fstatFile = promisify(fstat);
const readFile = promisify(read);
const closeFile = promisify(close);

/** Bodies up to this size are read in one call instead of streamed. */
const SMALL_BLOB_BYTES = 64 * 1024;

function isErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as NodeJS.ErrnoException).code === code;
}

/**
 * Attachment bytes as files under one folder. Writes go to a temporary file in the same file
 * system, are fsynced, renamed into place and the directory fsynced, so a blob is either absent
 * or complete, and present once `put` resolves.
 */
export class FsBlobStore implements BlobStore {
  readonly #root: string;
  readonly #tmp: string;
  /** Temporary files of uploads under way in this process: never swept, whatever their age. */
  readonly #live = new Set<string>();
  /**
   * Folders this process has made or found: two `mkdir -p` per upload were two thread-pool round
   * trips and syscalls of their own. One removed behind the store's back shows as ENOENT, and is
   * made again.
   */
  readonly #folders = new Set<string>();

  constructor(options: { root: string }) {
    this.#root = resolve(options.root);
    this.#tmp = join(this.#root, '.tmp');
  }

  #path(key: string): string {
    assertBlobKey(key);
    const path = join(this.#root, ...key.split('/'));
    if (!path.startsWith(this.#root + sep)) throw new Error(`blob key escapes root: ${key}`);
    return path;
  }

  async put(
    key: string,
    body: Readable,
    opts: { maxBytes?: number; signal?: AbortSignal } = {},
  ): Promise<{ size: number; sha256: string }> {
    const finalPath = this.#path(key);
    const tmpName = randomUUID();
    const tmpPath = join(this.#tmp, tmpName);
    this.#live.add(tmpName);
    let fd: number;
    try {
      fd = await this.#createTemporary(tmpPath);
    } catch (error) {
      this.#live.delete(tmpName);
      throw error;
    }
    const meter = createBlobMeter(key, opts.maxBytes);
    try {
      await pipeline(body, meter.stream, createWriteStream(tmpPath, { fd, flush: true }), {
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      const dir = dirname(finalPath);
      await this.#folder(dir);
      try {
        await rename(tmpPath, finalPath);
      } catch (error) {
        if (!isErrno(error, 'ENOENT')) throw error;
        // The folder went away since this process made it: made again, the rename can go on.
        this.#folders.delete(dir);
        await this.#folder(dir);
        await rename(tmpPath, finalPath);
      }
      await fsyncDirectory(dir);
    } catch (error) {
      await rm(tmpPath, { force: true });
      throw error;
    } finally {
      this.#live.delete(tmpName);
    }
    return meter.result();
  }

  /** Opens a new temporary file (exclusive), making the temporary folder if it is not there. */
  async #createTemporary(path: string): Promise<number> {
    await this.#folder(this.#tmp);
    try {
      return await openFile(path, 'wx');
    } catch (error) {
      if (!isErrno(error, 'ENOENT')) throw error;
      this.#folders.delete(this.#tmp);
      await this.#folder(this.#tmp);
      return await openFile(path, 'wx');
    }
  }

  async #folder(path: string): Promise<void> {
    if (this.#folders.has(path)) return;
    await mkdir(path, { recursive: true });
    this.#folders.add(path);
  }

  async get(key: string, opts: { range?: { start: number; end: number } } = {}) {
    // Callback-based fs, promisified: the FileHandle API cost about 40% of a 1 KB download's CPU
    // in the benchmark profile (docs/benchmarks.md).
    let fd: number;
    try {
      fd = await openFile(this.#path(key), 'r');
    } catch (error) {
      if (isErrno(error, 'ENOENT')) throw new BlobNotFoundError(key);
      throw error;
    }
    try {
      const { size } = await fstatFile(fd);
      const start = opts.range?.start ?? 0;
      const end = opts.range?.end ?? size - 1;
      const length = Math.max(0, end - start + 1);
      if (length <= SMALL_BLOB_BYTES) {
        // Small bodies in one read: no stream machinery, and the descriptor is closed at once.
        const bytes = Buffer.allocUnsafe(length);
        let filled = 0;
        while (filled < length) {
          const { bytesRead } = await readFile(fd, bytes, filled, length - filled, start + filled);
          if (bytesRead === 0) break;
          filled += bytesRead;
        }
        await closeFile(fd);
        return {
          body: Readable.from(filled === 0 ? [] : [bytes.subarray(0, filled)], { objectMode: false }),
          size,
        };
      }
      const body = createReadStream('', { fd, start, end, autoClose: true });
      return { body, size };
    } catch (error) {
      await closeFile(fd).catch(() => {});
      throw error;
    }
  }

  async stat(key: string): Promise<{ size: number } | null> {
    try {
      const s = await stat(this.#path(key));
      return { size: s.size };
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await unlink(this.#path(key));
    } catch (error) {
      if (!isErrno(error, 'ENOENT')) throw error;
    }
  }

  async ping(): Promise<void> {
    await mkdir(this.#root, { recursive: true });
    await access(this.#root, constants.W_OK);
  }

  /**
   * Removes temporary files that no upload of this process owns and that nothing has written to
   * for `olderThanMs`: what a crashed process left mid-upload. A live upload in another process
   * writes at least once per body-inactivity timeout (or its connection is closed and its file
   * removed), so any age past that timeout is safe. Returns how many files were removed.
   */
  async sweepTemporary(olderThanMs: number, now = Date.now()): Promise<number> {
    let names: string[];
    try {
      names = await readdir(this.#tmp);
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return 0;
      throw error;
    }
    let removed = 0;
    for (const name of names) {
      if (this.#live.has(name)) continue;
      const path = join(this.#tmp, name);
      try {
        const s = await stat(path);
        if (!s.isFile() || now - s.mtimeMs < olderThanMs || this.#live.has(name)) continue;
        await unlink(path);
        removed++;
      } catch (error) {
        if (!isErrno(error, 'ENOENT')) throw error;
      }
    }
    return removed;
  }

  async close(): Promise<void> {}
}

async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
