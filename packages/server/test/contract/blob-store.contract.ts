import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlobNotFoundError, type BlobStore, BlobTooLargeError } from '../../src/domain/ports.js';
import type { StoreBacking } from './contract-seed.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Deterministic bytes, so that a wrong offset or a reordered chunk shows. */
function bytes(size: number, seed = 1): Buffer {
  const b = Buffer.allocUnsafe(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

/** Streams `data` in chunks; `failAfter` bytes in, the stream errors instead of going on. */
function source(
  data: Buffer,
  options: { chunk?: number; failAfter?: number; onChunk?: (sent: number) => void } = {},
) {
  const chunk = options.chunk ?? 64 * 1024;
  return Readable.from(
    (async function* () {
      for (let at = 0; at < data.length; at += chunk) {
        if (options.failAfter !== undefined && at >= options.failAfter) throw new Error('source failed');
        options.onChunk?.(at);
        yield data.subarray(at, at + chunk);
      }
    })(),
    { objectMode: false },
  );
}

async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/**
 * The behaviour `domain/ports.ts` promises for a BlobStore, run against every implementation.
 * `largeSize` must exceed the implementation's largest single write (S3's multipart part size),
 * so that the multipart path is exercised too.
 */
export function blobStoreContract(
  name: string,
  createBacking: () => Promise<StoreBacking<BlobStore>>,
  options: {
    largeSize: number;
    /**
     * Why this backing cannot promise that concurrent puts to one key leave one of them whole
     * (the port does not need it: keys are unique per attachment, so no two puts share one).
     */
    concurrentPutsToOneKeyUnsupported?: string;
  },
) {
  describe(`BlobStore contract: ${name}`, () => {
    let backing: StoreBacking<BlobStore>;
    let blobs: BlobStore;
    const opened: BlobStore[] = [];
    const open = async () => {
      const s = await backing.open();
      opened.push(s);
      return s;
    };
    beforeEach(async () => {
      backing = await createBacking();
      blobs = await open();
    });
    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close();
      await backing.dispose();
    });

    const get = async (key: string, store = blobs) => readAll((await store.get(key)).body);

    describe('put', () => {
      it('stores the bytes and reports their size and SHA-256', async () => {
        const data = bytes(1000);
        expect(await blobs.put('org1/001/a1', source(data, { chunk: 7 }))).toEqual({
          size: 1000,
          sha256: sha256(data),
        });
        expect(await get('org1/001/a1')).toEqual(data);
        expect(await blobs.stat('org1/001/a1')).toEqual({ size: 1000 });
      });

      it('stores an empty blob', async () => {
        expect(await blobs.put('org1/001/empty', Readable.from([]))).toEqual({
          size: 0,
          sha256: sha256(Buffer.alloc(0)),
        });
        expect(await get('org1/001/empty')).toEqual(Buffer.alloc(0));
        expect(await blobs.stat('org1/001/empty')).toEqual({ size: 0 });
      });

      it('streams a blob larger than one write (multipart) intact', async () => {
        const data = bytes(options.largeSize, 7);
        expect(await blobs.put('org1/002/large', source(data))).toEqual({
          size: data.length,
          sha256: sha256(data),
        });
        const back = await get('org1/002/large');
        expect(back.length).toBe(data.length);
        expect(sha256(back)).toBe(sha256(data));
      });

      it('replaces a blob already at the key', async () => {
        await blobs.put('org1/001/a1', source(bytes(500, 1)));
        const second = bytes(20, 2);
        await blobs.put('org1/001/a1', source(second));
        expect(await get('org1/001/a1')).toEqual(second);
      });

      it('resolves only once the bytes are durable: another instance reads them at once', async () => {
        const data = bytes(3000);
        await blobs.put('org1/003/shared', source(data));
        const other = await open();
        expect(await get('org1/003/shared', other)).toEqual(data);
      });

      it('accepts exactly maxBytes', async () => {
        const data = bytes(100);
        expect((await blobs.put('org1/001/max', source(data, { chunk: 30 }), { maxBytes: 100 })).size).toBe(
          100,
        );
      });

      it('rejects with BlobTooLargeError past maxBytes and leaves nothing at a new key', async () => {
        const error = await blobs
          .put('org1/001/big', source(bytes(101), { chunk: 30 }), { maxBytes: 100 })
          .catch((e) => e);
        expect(error).toBeInstanceOf(BlobTooLargeError);
        expect((error as BlobTooLargeError).maxBytes).toBe(100);
        expect(await blobs.stat('org1/001/big')).toBeNull();
      });

      it('rejects past maxBytes in a large stream without reading it all, keeping the previous blob', async () => {
        const previous = bytes(10, 3);
        await blobs.put('org1/001/keep', source(previous));
        let sent = 0;
        const big = source(bytes(options.largeSize), { onChunk: (at) => (sent = at) });
        await expect(blobs.put('org1/001/keep', big, { maxBytes: 200_000 })).rejects.toBeInstanceOf(
          BlobTooLargeError,
        );
        expect(sent).toBeLessThan(options.largeSize / 2);
        expect(await get('org1/001/keep')).toEqual(previous);
      });

      it('on a failing source rejects and leaves nothing at the key that was not there before', async () => {
        await expect(
          blobs.put('org1/001/fail', source(bytes(options.largeSize), { failAfter: 200_000 })),
        ).rejects.toThrow('source failed');
        expect(await blobs.stat('org1/001/fail')).toBeNull();
        const previous = bytes(10, 4);
        await blobs.put('org1/001/fail', source(previous));
        await expect(
          blobs.put('org1/001/fail', source(bytes(1000), { chunk: 100, failAfter: 500 })),
        ).rejects.toThrow();
        expect(await get('org1/001/fail')).toEqual(previous);
      });

      it('on abort rejects and leaves nothing at the key that was not there before', async () => {
        const controller = new AbortController();
        const data = bytes(options.largeSize);
        const aborting = source(data, { onChunk: (at) => at >= 300_000 && controller.abort() });
        await expect(blobs.put('org1/001/abort', aborting, { signal: controller.signal })).rejects.toThrow();
        expect(await blobs.stat('org1/001/abort')).toBeNull();

        const previous = bytes(10, 5);
        await blobs.put('org1/001/abort', source(previous));
        const again = new AbortController();
        const abortingAgain = source(data, { onChunk: (at) => at >= 300_000 && again.abort() });
        await expect(blobs.put('org1/001/abort', abortingAgain, { signal: again.signal })).rejects.toThrow();
        expect(await get('org1/001/abort')).toEqual(previous);
      });

      it('with a signal already aborted writes nothing', async () => {
        await expect(
          blobs.put('org1/001/pre', source(bytes(10)), { signal: AbortSignal.abort() }),
        ).rejects.toThrow();
        expect(await blobs.stat('org1/001/pre')).toBeNull();
      });

      it.skipIf(options.concurrentPutsToOneKeyUnsupported !== undefined)(
        'concurrent puts to one key leave one of them whole, never a mix',
        async () => {
          const a = bytes(200_000, 8);
          const b = bytes(200_000, 9);
          await Promise.all([
            blobs.put('org1/004/race', source(a, { chunk: 1000 })),
            blobs.put('org1/004/race', source(b, { chunk: 1000 })),
          ]);
          const back = sha256(await get('org1/004/race'));
          expect([sha256(a), sha256(b)]).toContain(back);
        },
      );
    });

    describe('get', () => {
      it('rejects with BlobNotFoundError when absent', async () => {
        await expect(blobs.get('org1/001/none')).rejects.toBeInstanceOf(BlobNotFoundError);
      });

      it('returns an inclusive byte range, with the size of the whole blob', async () => {
        const data = bytes(1000);
        await blobs.put('org1/001/r', source(data));
        // Not `bytes=0-0`: s3rver, the S3 stand-in the tests use, answers that with the whole
        // object (it reads an end of 0 as "no end"); real S3 does not.
        const first = await blobs.get('org1/001/r', { range: { start: 0, end: 1 } });
        expect({ body: await readAll(first.body), size: first.size }).toEqual({
          body: data.subarray(0, 2),
          size: 1000,
        });
        const middle = await blobs.get('org1/001/r', { range: { start: 10, end: 19 } });
        expect(await readAll(middle.body)).toEqual(data.subarray(10, 20));
        const last = await blobs.get('org1/001/r', { range: { start: 990, end: 999 } });
        expect(await readAll(last.body)).toEqual(data.subarray(990));
      });

      it('clips a range that ends past the end, and gives no bytes for one that starts past it', async () => {
        const data = bytes(100);
        await blobs.put('org1/001/clip', source(data));
        const tail = await blobs.get('org1/001/clip', { range: { start: 90, end: 500 } });
        expect({ body: await readAll(tail.body), size: tail.size }).toEqual({
          body: data.subarray(90),
          size: 100,
        });
        const past = await blobs.get('org1/001/clip', { range: { start: 100, end: 200 } });
        expect({ body: await readAll(past.body), size: past.size }).toEqual({
          body: Buffer.alloc(0),
          size: 100,
        });
        // No ranged read of an empty blob here: s3rver announces one byte for it and sends none.
      });

      it('streams the whole blob with its size', async () => {
        await blobs.put('org1/001/w', source(Buffer.from('hello world')));
        const got = await blobs.get('org1/001/w');
        expect({ text: await text(got.body), size: got.size }).toEqual({ text: 'hello world', size: 11 });
      });
    });

    describe('stat', () => {
      it('returns null when absent', async () => {
        expect(await blobs.stat('org1/001/none')).toBeNull();
      });
    });

    describe('ping', () => {
      it('resolves on a reachable store', async () => {
        await expect(blobs.ping()).resolves.toBeUndefined();
      });
    });

    describe('delete', () => {
      it('removes the blob', async () => {
        await blobs.put('org1/001/d', source(bytes(10)));
        await blobs.delete('org1/001/d');
        expect(await blobs.stat('org1/001/d')).toBeNull();
        await expect(blobs.get('org1/001/d')).rejects.toBeInstanceOf(BlobNotFoundError);
      });

      it('is idempotent: deleting a missing key resolves', async () => {
        await expect(blobs.delete('org1/001/never')).resolves.toBeUndefined();
        await blobs.put('org1/001/d2', source(bytes(10)));
        await blobs.delete('org1/001/d2');
        await expect(blobs.delete('org1/001/d2')).resolves.toBeUndefined();
      });

      it('removes only that key', async () => {
        await blobs.put('org1/001/x1', source(bytes(10, 1)));
        await blobs.put('org1/001/x2', source(bytes(10, 2)));
        await blobs.delete('org1/001/x1');
        expect(await get('org1/001/x2')).toEqual(bytes(10, 2));
      });
    });
  });
}
