import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load-config.js';

const problems = (env: Record<string, string>) => {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

describe('scale-out storage settings', () => {
  it('default to the embedded stores', () => {
    const config = loadConfig({});
    expect({ databaseUrl: config.databaseUrl, pool: config.databasePoolSize, s3: config.s3 }).toEqual({
      databaseUrl: undefined,
      pool: 10,
      s3: undefined,
    });
  });

  it('take a postgres:// or postgresql:// URL only', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/bigin' }).databaseUrl).toBe(
      'postgres://u:p@db:5432/bigin',
    );
    expect(loadConfig({ DATABASE_URL: 'postgresql://db/bigin' }).databaseUrl).toBe('postgresql://db/bigin');
    expect(problems({ DATABASE_URL: 'mysql://db/bigin' })).toEqual([
      'DATABASE_URL: must be a postgres:// or postgresql:// URL',
    ]);
  });

  it('build the S3 settings, part size in bytes and an empty prefix by default', () => {
    expect(
      loadConfig({
        S3_BUCKET: 'b',
        S3_ENDPOINT: 'http://127.0.0.1:9000',
        S3_FORCE_PATH_STYLE: 'true',
        S3_ACCESS_KEY_ID: 'id',
        S3_SECRET_ACCESS_KEY: 'secret',
      }).s3,
    ).toEqual({
      bucket: 'b',
      prefix: '',
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:9000',
      forcePathStyle: true,
      credentials: { accessKeyId: 'id', secretAccessKey: 'secret' },
      partSize: 8 * 1024 * 1024,
    });
    expect(loadConfig({ S3_BUCKET: 'b', S3_PREFIX: 'a/b/', S3_PART_SIZE_MB: '16' }).s3).toMatchObject({
      prefix: 'a/b/',
      credentials: undefined,
      partSize: 16 * 1024 * 1024,
    });
  });

  it('refuse S3 details without a bucket, half a key pair, a prefix without its slash and parts under 5 MiB', () => {
    expect(problems({ S3_ENDPOINT: 'http://127.0.0.1:9000' })).toEqual([
      'S3_ENDPOINT is set but S3_BUCKET is not: set S3_BUCKET to store bytes in S3',
    ]);
    expect(problems({ S3_BUCKET: 'b', S3_ACCESS_KEY_ID: 'id' })).toEqual([
      'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together: set both or neither',
    ]);
    expect(problems({ S3_BUCKET: 'b', S3_PREFIX: 'bigin' })).toEqual([
      'S3_PREFIX="bigin": must be empty or end with / (for example bigin/)',
    ]);
    expect(problems({ S3_BUCKET: 'b', S3_PART_SIZE_MB: '4' })).toHaveLength(1);
    expect(problems({ S3_BUCKET: 'b', S3_ENDPOINT: 'ftp://x' })).toEqual([
      'S3_ENDPOINT="ftp://x": must be an http:// or https:// URL',
    ]);
  });

  it('never echo a password or secret key in a problem', () => {
    expect(problems({ S3_SECRET_ACCESS_KEY: 'very-secret' }).join('\n')).not.toContain('very-secret');
    expect(problems({ DATABASE_URL: 'mysql://u:very-secret@db/bigin' }).join('\n')).not.toContain(
      'very-secret',
    );
  });
});
