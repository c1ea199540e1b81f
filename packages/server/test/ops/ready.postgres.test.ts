import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL } from '../support/postgres.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

async function onServer(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const ready = async (t: TestServer) => {
  const res = await fetch(`${t.url}/ready`);
  return {
    status: res.status,
    body: (await res.json()) as { status: string; checks: Record<string, string> },
  };
};

// A database of the test's own, so that cutting its connections touches nobody else.
const name = `ready_${process.pid}_${randomBytes(4).toString('hex')}`;
let t: TestServer;

beforeAll(async () => {
  await onServer(`CREATE DATABASE ${name}`);
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  t = await startTestServer({ settings: { DATABASE_URL: url.toString(), DATABASE_POOL_SIZE: '2' } });
});

afterAll(async () => {
  await t?.close();
  await onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
});

describe('/ready on PostgreSQL', () => {
  it('is false while the database refuses connections, and true again once it accepts them', async () => {
    expect(await ready(t)).toEqual({
      status: 200,
      body: { status: 'ready', checks: { metadata: 'ok', blobs: 'ok' } },
    });

    await onServer(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
    await onServer(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`);
    const down = await ready(t);
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('unavailable');
    expect(down.body.checks.metadata).not.toBe('ok');
    expect(down.body.checks.blobs).toBe('ok');
    // /health is liveness only: the process still answers.
    expect((await fetch(`${t.url}/health`)).status).toBe(200);

    await onServer(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
    expect((await ready(t)).status).toBe(200);
  });
});
