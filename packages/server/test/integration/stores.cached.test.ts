import { mkdtemp, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { BlobNotFoundError } from '../../src/domain/ports.js';
import { CachedBlobStore } from '../../src/storage/cached-blob-store.js';
import { FsBlobStore } from '../../src/storage/fs/fs-blob-store.js';
import { blobStoreContract } from '../contract/blob-store.contract.js';

// The cache keeps every promise of the blob store it wraps.
blobStoreContract(
  'folder behind the small-blob cache',
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bigin-cached-contract-'));
    return {
      open: async () => new CachedBlobStore(new FsBlobStore({ root: dir }), 256 * 1024),
      dispose: () => rm(dir, { recursive: true, force: true }),
    };
  },
  { largeSize: 2 * 1024 * 1024 },
);

describe('small-blob cache', () => {
  async function withStore(capacity: number, run: (s: CachedBlobStore, dir: string) => Promise<void>) {
    const dir = await mkdtemp(join(tmpdir(), 'bigin-cache-'));
    try {
      await run(new CachedBlobStore(new FsBlobStore({ root: dir }), capacity), dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  const put = (s: CachedBlobStore, key: string, body: string) =>
    s.put(key, Readable.from([Buffer.from(body)]));
  const read = async (s: CachedBlobStore, key: string, range?: { start: number; end: number }) =>
    text((await s.get(key, range ? { range } : {})).body);

  it('serves a read blob from memory: its file can go and the bytes still come', async () => {
    await withStore(1024, async (s, dir) => {
      await put(s, 'o1/a/1', 'hello world');
      expect(await read(s, 'o1/a/1')).toBe('hello world');
      expect(s.cachedBytes).toBe(11);
      await unlink(join(dir, 'o1', 'a', '1'));
      expect(await read(s, 'o1/a/1')).toBe('hello world');
      expect(await read(s, 'o1/a/1', { start: 6, end: 10 })).toBe('world');
      expect(await s.stat('o1/a/1')).toEqual({ size: 11 });
    });
  });

  it('forgets a blob when it is deleted or replaced through it', async () => {
    await withStore(1024, async (s) => {
      await put(s, 'o1/a/1', 'first');
      await read(s, 'o1/a/1');
      await put(s, 'o1/a/1', 'second');
      expect(await read(s, 'o1/a/1')).toBe('second');
      await s.delete('o1/a/1');
      expect(s.cachedBytes).toBe(0);
      await expect(s.get('o1/a/1')).rejects.toBeInstanceOf(BlobNotFoundError);
    });
  });

  it('stays within its capacity, dropping the least recently used first', async () => {
    await withStore(25, async (s) => {
      for (const k of ['1', '2', '3']) await put(s, `o1/a/${k}`, k.repeat(10));
      await read(s, 'o1/a/1');
      await read(s, 'o1/a/2');
      await read(s, 'o1/a/1'); // 1 is now the most recently used
      await read(s, 'o1/a/3');
      expect(s.cachedBytes).toBe(20);
      await s.delete('o1/a/2'); // not cached any more: deleting it changes nothing held
      expect(s.cachedBytes).toBe(20);
    });
  });

  it('does not keep ranges or blobs over 64 KB', async () => {
    await withStore(1024 * 1024, async (s) => {
      await put(s, 'o1/a/big', 'x'.repeat(64 * 1024 + 1));
      await read(s, 'o1/a/big');
      await put(s, 'o1/a/small', 'abc');
      await read(s, 'o1/a/small', { start: 0, end: 1 });
      expect(s.cachedBytes).toBe(0);
    });
  });
});
