import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FsBlobStore } from '../../src/storage/fs/fs-blob-store.js';
import { blobStoreContract } from '../contract/blob-store.contract.js';

blobStoreContract(
  'folder',
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bigin-fs-contract-'));
    return {
      open: async () => new FsBlobStore({ root: dir }),
      dispose: () => rm(dir, { recursive: true, force: true }),
    };
  },
  { largeSize: 6 * 1024 * 1024 },
);

describe('folder store: folders removed behind its back', () => {
  it('makes the blob folder and the temporary folder again, and keeps no temporary file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bigin-fs-folders-'));
    try {
      const store = new FsBlobStore({ root: dir });
      await store.put('org/001/1', Readable.from([Buffer.from('one')]));
      // The store has made both folders once; an operator (or a cleanup job) removes them.
      await rm(join(dir, 'org'), { recursive: true });
      await rm(join(dir, '.tmp'), { recursive: true });
      expect(await store.put('org/001/2', Readable.from([Buffer.from('two')]))).toMatchObject({ size: 3 });
      const { body } = await store.get('org/001/2');
      expect(Buffer.concat(await body.toArray()).toString()).toBe('two');
      expect(await readdir(join(dir, '.tmp'))).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
