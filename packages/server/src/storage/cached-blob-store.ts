import { Readable } from 'node:stream';
import type { BlobStore } from '../domain/ports.js';

/** Blobs up to this size are kept whole; larger ones always stream from the store. */
export const CACHED_BLOB_MAX_BYTES = 64 * 1024;

/**
 * A bounded, least-recently-used cache of small blobs in front of any blob store. A 1 KB download
 * otherwise costs an open, an fstat, a read and a close on the thread pool (the largest items of
 * its profile in docs/benchmarks.md).
 *
 * Safe on many nodes because blob keys are made by the server, unique per attachment, and never
 * rewritten: a key's bytes never change while it exists. A key deleted by another node may stay
 * cached here, but every download reads the live attachment row first, and the purge removes the
 * row with the bytes, so such an entry is never served; it ages out. Local puts and deletes drop
 * the entry at once.
 */
export class CachedBlobStore implements BlobStore {
  readonly #inner: BlobStore;
  readonly #capacity: number;
  readonly #entries = new Map<string, Buffer>();
  #bytes = 0;

  constructor(inner: BlobStore, capacityBytes: number) {
    this.#inner = inner;
    this.#capacity = capacityBytes;
  }

  /** Bytes held now (for tests and metrics). */
  get cachedBytes(): number {
    return this.#bytes;
  }

  put(...args: Parameters<BlobStore['put']>): ReturnType<BlobStore['put']> {
    this.#drop(args[0]);
    return this.#inner.put(...args);
  }

  async get(key: string, opts: { range?: { start: number; end: number } } = {}) {
    const cached = this.#entries.get(key);
    if (cached) {
      // Most recently used goes last: Map iteration order is insertion order.
      this.#entries.delete(key);
      this.#entries.set(key, cached);
      return inMemory(slice(cached, opts.range), cached.length);
    }
    const result = await this.#inner.get(key, opts);
    if (opts.range || result.size > CACHED_BLOB_MAX_BYTES || result.size > this.#capacity) return result;
    const chunks: Buffer[] = [];
    for await (const chunk of result.body) chunks.push(chunk as Buffer);
    const whole = Buffer.concat(chunks);
    if (whole.length === result.size) this.#remember(key, whole);
    return inMemory(whole, result.size);
  }

  stat(key: string) {
    const cached = this.#entries.get(key);
    return cached ? Promise.resolve({ size: cached.length }) : this.#inner.stat(key);
  }

  async delete(key: string): Promise<void> {
    this.#drop(key);
    await this.#inner.delete(key);
  }

  /** The store behind the cache (which one a deployment runs on). */
  get inner(): BlobStore {
    return this.#inner;
  }

  // Temporary files are the inner store's: the sweep after a crash must reach them.
  sweepTemporary(olderThanMs: number): Promise<number> {
    return this.#inner.sweepTemporary?.(olderThanMs) ?? Promise.resolve(0);
  }

  ping(...args: Parameters<BlobStore['ping']>): ReturnType<BlobStore['ping']> {
    return this.#inner.ping(...args);
  }

  close(): Promise<void> {
    this.#entries.clear();
    this.#bytes = 0;
    return this.#inner.close();
  }

  #remember(key: string, bytes: Buffer): void {
    this.#drop(key);
    this.#entries.set(key, bytes);
    this.#bytes += bytes.length;
    for (const [oldest, value] of this.#entries) {
      if (this.#bytes <= this.#capacity) break;
      this.#entries.delete(oldest);
      this.#bytes -= value.length;
    }
  }

  #drop(key: string): void {
    const old = this.#entries.get(key);
    if (!old) return;
    this.#entries.delete(key);
    this.#bytes -= old.length;
  }
}

function slice(bytes: Buffer, range: { start: number; end: number } | undefined): Buffer {
  if (!range) return bytes;
  return bytes.subarray(range.start, Math.min(range.end, bytes.length - 1) + 1);
}

/** The stream is made only for a caller that asks for it; the HTTP layer sends `bytes`. */
function inMemory(bytes: Buffer, size: number): { body: Readable; size: number; bytes: Buffer } {
  return {
    get body() {
      return Readable.from(bytes.length === 0 ? [] : [bytes], { objectMode: false });
    },
    size,
    bytes,
  };
}
