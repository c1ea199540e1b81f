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

/** Server settings for a fresh key space in the test bucket. */
export function testS3Settings() {
  const o = testS3Options();
  return {
    S3_BUCKET: o.bucket,
    S3_PREFIX: o.prefix,
    S3_REGION: o.region,
    S3_ENDPOINT: o.endpoint!,
    S3_FORCE_PATH_STYLE: 'true',
    S3_ACCESS_KEY_ID: o.credentials!.accessKeyId,
    S3_SECRET_ACCESS_KEY: o.credentials!.secretAccessKey,
    S3_PART_SIZE_MB: '5',
  };
}
