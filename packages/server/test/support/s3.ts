import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type { S3BlobStoreOptions } from '../../src/storage/s3/s3-blob-store.js';
import { TEST_S3 } from './global-setup.js';

/** S3 settings for a fresh, empty key space (a unique prefix in the test bucket). */
export function testS3Options(): S3BlobStoreOptions {
  return {
    bucket: TEST_S3.bucket,
    prefix: `t-${randomBytes(6).toString('hex')}/`,
    region: TEST_S3.region,
    endpoint: inject('s3Endpoint'),
    forcePathStyle: true,
    credentials: { accessKeyId: TEST_S3.accessKeyId, secretAccessKey: TEST_S3.secretAccessKey },
    partSize: 5 * 1024 * 1024,
  };
}
