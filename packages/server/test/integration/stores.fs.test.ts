import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
