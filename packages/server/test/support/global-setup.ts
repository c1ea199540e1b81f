import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

/** The S3-compatible server the tests use, and its one bucket (tests isolate by key prefix). */
export const TEST_S3 = {
  bucket: 'bigin-test',
  region: 'us-east-1',
  accessKeyId: 'S3RVER',
  secretAccessKey: 'S3RVER',
};

declare module 'vitest' {
  interface ProvidedContext {
    s3Endpoint: string;
  }
}

/**
 * Starts one s3rver (an S3-compatible server from the npm registry, storing objects in a
 * temporary folder) for the whole run, in the runner's process; test workers reach it over
 * loopback HTTP exactly as a server node reaches S3.
 */
export default async function setup(project: TestProject) {
  const require = createRequire(import.meta.url);
  const S3rver = require('@20minutes/s3rver') as new (
    options: object,
  ) => {
    run(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
  };
  const directory = await mkdtemp(join(tmpdir(), 'bigin-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: TEST_S3.bucket }],
  });
  const { port } = await server.run();
  project.provide('s3Endpoint', `http://127.0.0.1:${port}`);
  return async () => {
    await server.close();
    await rm(directory, { recursive: true, force: true });
  };
}
