import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobKeyFor } from '../../src/domain/blob-keys.js';
import { POSTGRES_MIGRATIONS } from '../../src/storage/postgres/migrations.js';
import { PostgresMetadataStore } from '../../src/storage/postgres/postgres-metadata-store.js';
import { S3BlobStore } from '../../src/storage/s3/s3-blob-store.js';
import { call, deleteSuccess, ERR } from '../support/bigin.js';
import { attachmentPath, orgFixture, orgIds } from '../support/fixtures.js';
import { createTestSchema, type TestSchema } from '../support/postgres.js';
import { testS3Settings } from '../support/s3.js';
import { runCli, type SpawnedServer, spawnServer } from '../support/spawn-server.js';

// Two `bigin-server` processes on one PostgreSQL schema and one S3 prefix: what a deployment
// behind a load balancer runs. Neither shares memory with the other or with this test.

const A = orgIds(5555555, 'nodes');
const admin = A.token('admin');
const contact = A.contactOf.rep1;
const APP_NAME = `bigin-two-nodes-${process.pid}`;

let schema: TestSchema;
let dir: string;
let env: Record<string, string>;
let node1: SpawnedServer;
let node2: SpawnedServer;

beforeAll(async () => {
  schema = await createTestSchema();
  dir = await mkdtemp(join(tmpdir(), 'bigin-two-nodes-'));
  const fixture = join(dir, 'fixture.json');
  await writeFile(fixture, JSON.stringify({ organizations: [orgFixture(A)] }));
  // A name of their own, so that this test can cut exactly these nodes' connections.
  const url = new URL(schema.url);
  url.searchParams.set('application_name', APP_NAME);
  env = {
    ...schema.settings,
    DATABASE_URL: url.toString(),
    ...testS3Settings(),
    DATA_DIR: join(dir, 'unused'),
    FIXTURE: fixture,
    DEV_SEED: 'false',
    RECYCLE_BIN_RETENTION_DAYS: '0',
    PURGE_INTERVAL_SECONDS: '86400',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  // Both start at once: migrations and the fixture load race, and must each happen once.
  [node1, node2] = await Promise.all([spawnServer([], env), spawnServer([], env)]);
});

afterAll(async () => {
  for (const node of [node1, node2]) {
    if (node && node.process.exitCode === null) {
      node.process.kill('SIGTERM');
      await node.exited;
    }
  }
  await schema?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const del = (node: SpawnedServer, attachmentId: string) =>
  call(node.url, 'DELETE', attachmentPath('Contacts', contact, attachmentId), admin);

const answer = (res: Awaited<ReturnType<typeof call>>) => ({ status: res.status, body: res.json });

async function sql<T extends pg.QueryResultRow>(text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: schema.url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

describe('two server processes on one PostgreSQL and one S3 bucket', () => {
  it('loaded the fixture once although both nodes loaded it at the same moment', async () => {
    const [{ n }] = (await sql<{ n: string }>('SELECT COUNT(*) AS n FROM attachments')) as [{ n: string }];
    expect(Number(n)).toBe(orgFixture(A).attachments.length);
    // Each migration applied once, although both nodes migrated at the same moment.
    expect(await sql('SELECT version FROM schema_migrations ORDER BY version')).toEqual(
      POSTGRES_MIGRATIONS.map((m) => ({ version: m.version })),
    );
  });

  it('a delete on one node is seen by the other at once', async () => {
    const id = A.attachment[0]!;
    expect(answer(await del(node1, id))).toEqual({ status: 200, body: deleteSuccess(id) });
    expect(answer(await del(node2, id))).toEqual({ status: 400, body: ERR.attachmentNotFound });
  });

  it('concurrent deletes of one attachment across both nodes give exactly one SUCCESS', async () => {
    for (const id of A.attachment.slice(1, 6)) {
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => del(i % 2 ? node1 : node2, id)));
      const answers = results.map(answer);
      expect(answers.filter((a) => a.status === 200)).toEqual([{ status: 200, body: deleteSuccess(id) }]);
      expect(answers.filter((a) => a.status !== 200)).toEqual(
        Array.from({ length: 9 }, () => ({ status: 400, body: ERR.attachmentNotFound })),
      );
    }
  });

  it('a token revoked in the shared database is refused by both nodes on the next request', async () => {
    const token = A.token('manager');
    const path = attachmentPath('Contacts', A.contactOf.manager, A.attachmentOn[A.contactOf.manager]!);
    // Authenticated on both (a wrong method would answer before authentication; this is a real check).
    expect((await call(node1.url, 'DELETE', `${path}0`, token)).status).toBe(400);
    expect((await call(node2.url, 'DELETE', `${path}0`, token)).status).toBe(400);
    await sql('UPDATE access_tokens SET revoked_at = $1 WHERE user_id = $2', [Date.now(), A.user.manager]);
    for (const node of [node1, node2])
      expect(answer(await call(node.url, 'DELETE', path, token))).toEqual({
        status: 401,
        body: ERR.invalidToken,
      });
  });

  it('recover by themselves when PostgreSQL drops every connection (as in a restart)', async () => {
    const terminated = await sql<{ ok: boolean }>(
      'SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1',
      [APP_NAME],
    );
    expect(terminated.length).toBeGreaterThan(0);
    // A request may still meet a connection whose end the pool has not noticed yet: that one is
    // an INTERNAL_ERROR (never a hang, never a crash), and the connection is discarded.
    for (const node of [node1, node2]) {
      const id = A.attachment[node === node1 ? 6 : 7]!;
      const first = answer(await del(node, id));
      if (first.status === 500) {
        expect(first.body).toEqual(ERR.internal);
        expect(answer(await del(node, id))).toEqual({ status: 200, body: deleteSuccess(id) });
      } else expect(first).toEqual({ status: 200, body: deleteSuccess(id) });
    }
    expect(node1.process.exitCode).toBeNull();
    expect(node2.process.exitCode).toBeNull();
  });

  it('purges run concurrently from two processes remove every deleted attachment once, bytes first', async () => {
    const deleted = A.attachment.slice(0, 8);
    const live = A.attachment.slice(8);
    const blobs = new S3BlobStore({
      bucket: env.S3_BUCKET!,
      prefix: env.S3_PREFIX!,
      region: env.S3_REGION!,
      endpoint: env.S3_ENDPOINT,
      forcePathStyle: true,
      credentials: { accessKeyId: env.S3_ACCESS_KEY_ID!, secretAccessKey: env.S3_SECRET_ACCESS_KEY! },
      partSize: 5 * 1024 * 1024,
    });
    try {
      for (const id of deleted) expect(await blobs.stat(blobKeyFor(A.org, id))).not.toBeNull();
      // A node that died mid-batch: it claimed two attachments and never finished them.
      const dying = new PostgresMetadataStore({ connectionString: schema.url, poolSize: 1 });
      const claimed = await dying.attachments.claimPurge({
        deletedBefore: Date.now(),
        limit: 2,
        at: Date.now(),
      });
      expect(claimed).toHaveLength(2);
      await dying.close();

      const runs = await Promise.all([
        runCli(['admin', 'purge'], { ...env, PURGE_BATCH_SIZE: '2' }),
        runCli(['admin', 'purge'], { ...env, PURGE_BATCH_SIZE: '2' }),
      ]);
      for (const run of runs) expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });

      const remaining = await sql<{ id: string }>(
        'SELECT id FROM attachments WHERE org_id = $1 AND id = ANY($2)',
        [A.org, A.attachment],
      );
      expect(remaining.map((r) => r.id).sort()).toEqual([...live].sort());
      for (const id of deleted) expect(await blobs.stat(blobKeyFor(A.org, id))).toBeNull();
      for (const id of live) expect(await blobs.stat(blobKeyFor(A.org, id))).not.toBeNull();
    } finally {
      await blobs.close();
    }
  });
});
