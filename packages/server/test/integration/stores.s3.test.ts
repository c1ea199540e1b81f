import { S3BlobStore } from '../../src/storage/s3/s3-blob-store.js';
import { blobStoreContract } from '../contract/blob-store.contract.js';
import { testS3Options } from '../support/s3.js';

blobStoreContract(
  'S3 (s3rver)',
  async () => {
    const options = testS3Options();
    return {
      open: async () => new S3BlobStore(options),
      // Every test has its own prefix; the whole bucket folder goes when the run ends.
      dispose: async () => {},
    };
  },
  {
    largeSize: 6 * 1024 * 1024,
    // Real S3 replaces an object atomically (last writer wins), but s3rver, the test stand-in,
    // streams each PUT into the same file, so two at once can interleave.
    concurrentPutsToOneKeyUnsupported: 's3rver writes concurrent PUTs of one key into one file',
  },
);
