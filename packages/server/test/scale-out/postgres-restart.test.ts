import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { call, deleteSuccess, ERR, JSON_TYPE } from '../support/bigin.js';
import { attachmentPath, orgFixture, orgIds } from '../support/fixtures.js';
import { createPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.js';
import { testS3Settings } from '../support/s3.js';
import { type SpawnedServer, spawnServer } from '../support/spawn-server.js';

// PostgreSQL crashes and comes back under a running node: requests fail with the documented
// 500 while it is down, no acknowledged write is lost, and the node recovers without a restart.

const A = orgIds(4444444, 'crash');
let pg: PrivatePostgres;
let dir: string;
let node: SpawnedServer;

beforeAll(async () => {
  pg = await createPrivatePostgres();
  dir = await mkdtemp(join(tmpdir(), 'bigin-pg-restart-'));
  const fixture = join(dir, 'fixture.json');
  await writeFile(fixture, JSON.stringify({ organizations: [orgFixture(A)] }));
  node = await spawnServer([], {
    DATABASE_URL: pg.url,
    ...testS3Settings(),
    DATA_DIR: join(dir, 'unused'),
    FIXTURE: fixture,
    DEV_SEED: 'false',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
});

afterAll(async () => {
  if (node && node.process.exitCode === null) {
    node.process.kill('SIGTERM');
    await node.exited;
  }
  await pg?.destroy();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const del = (id: string) =>
  call(node.url, 'DELETE', attachmentPath('Contacts', A.contactOf.rep1, id), A.token('admin'));
const answer = (res: Awaited<ReturnType<typeof call>>) => ({
  status: res.status,
  body: res.json,
  type: res.contentType,
});

/** The answer once the node has dropped connections it had before the outage (at most one 500). */
async function afterRecovery(id: string) {
  const first = answer(await del(id));
  if (first.status !== 500) return first;
  return answer(await del(id));
}

it('answers 500 while PostgreSQL is down, loses no acknowledged delete, and recovers by itself', async () => {
  const acknowledged = A.attachment[0]!;
  expect(answer(await del(acknowledged))).toEqual({
    status: 200,
    body: deleteSuccess(acknowledged),
    type: JSON_TYPE,
  });

  await pg.stop('immediate');
  for (const id of A.attachment.slice(1, 4)) {
    const res = await del(id);
    expect(answer(res)).toEqual({ status: 500, body: ERR.internal, type: JSON_TYPE });
    // A store outage, not a defect: the caller is told when to try again (decisions D14).
    expect(res.headers.get('retry-after')).toBe('1');
  }

  await pg.start();
  expect(await afterRecovery(acknowledged)).toEqual({
    status: 400,
    body: ERR.attachmentNotFound,
    type: JSON_TYPE,
  });
  // Deletes refused during the outage did not happen, and can be made now.
  for (const id of A.attachment.slice(1, 4))
    expect(answer(await del(id))).toEqual({ status: 200, body: deleteSuccess(id), type: JSON_TYPE });
  expect(node.process.exitCode).toBeNull();
});
