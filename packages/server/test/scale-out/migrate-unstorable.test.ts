import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SqliteMetadataStore } from '../../src/storage/sqlite/sqlite-metadata-store.js';
import { call } from '../support/bigin.js';
import { orgFixture, orgIds } from '../support/fixtures.js';
import { createTestSchema, type TestSchema } from '../support/postgres.js';
import { idOf, recordsPath, sendJsonBody } from '../support/records.js';
import { testS3Settings } from '../support/s3.js';
import { runCli, spawnServer } from '../support/spawn-server.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

// Issue 14 F3: an embedded folder holding text PostgreSQL cannot hold (written before the D-14
// rule refused it) migrates anyway: the row is copied with U+FFFD in place of each such character
// and named in the report, and everything else is copied and verified.

const M = orgIds(6565656, 'mgun');
let embedded: TestServer;
let schema: TestSchema;
let env: Record<string, string>;
let bad: string;
let good: string;

beforeAll(async () => {
  embedded = await startTestServer({ fixture: { organizations: [orgFixture(M)] } });
  const admin = M.token('admin');
  bad = idOf(
    await sendJsonBody(embedded.url, 'POST', recordsPath('Contacts'), admin, {
      data: [{ Last_Name: 'bad' }],
    }),
  );
  good = idOf(
    await sendJsonBody(embedded.url, 'POST', recordsPath('Contacts'), admin, {
      data: [{ Last_Name: 'good' }],
    }),
  );
  // What an older version accepted: a NUL and a lone surrogate in a field, and in the record's name.
  const db = (embedded.server.stores.metadata as SqliteMetadataStore).db;
  db.prepare('UPDATE records SET fields = ?, name = ? WHERE id = ?').run(
    JSON.stringify({ Last_Name: 'a\u0000b', Description: 'x\ud800y' }),
    'a\u0000b',
    bad,
  );
  await embedded.server.close();
  schema = await createTestSchema();
  env = { ...schema.settings, ...testS3Settings(), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
});
afterAll(async () => {
  await schema?.drop();
  await embedded?.close().catch(() => {});
});

it('copies the bad row with U+FFFD, reports it, and goes on', async () => {
  const run = await runCli(['migrate', '--from', embedded.dataDir], env);
  expect(run.stderr).toContain('replaced by U+FFFD');
  expect(run.code).toBe(0);
  const report = JSON.parse(run.stdout);
  expect(report.problems).toEqual([]);
  expect(report.replacedText).toEqual([
    `records ${M.org}/${bad}: NUL or unpaired surrogate replaced by U+FFFD`,
  ]);

  const server = await spawnServer([], env);
  try {
    const admin = M.token('admin');
    const got = await call(server.url, 'GET', recordsPath('Contacts', bad), admin);
    expect(got.status).toBe(200);
    expect((got.json as { data: Array<Record<string, unknown>> }).data[0]).toMatchObject({
      Last_Name: 'a\ufffdb',
      Description: 'x\ufffdy',
    });
    expect((await call(server.url, 'GET', recordsPath('Contacts', good), admin)).status).toBe(200);
  } finally {
    server.process.kill('SIGTERM');
    await server.exited;
  }
}, 60_000);
