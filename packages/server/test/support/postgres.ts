import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL server the tests use; each test gets its own schema in it. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestSchema {
  /** DATABASE_URL whose connections use only this schema. */
  url: string;
  name: string;
  /** Server settings that select this schema. */
  settings: { DATABASE_URL: string; DATABASE_POOL_SIZE: string };
  drop(): Promise<void>;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh, empty schema, so that tests running in parallel (and runs after a crashed one) never
 * see each other's rows. The URL selects it through the connection's `search_path`, exactly as an
 * operator would put the tables in a schema of their choice.
 */
export async function createTestSchema(): Promise<TestSchema> {
  const name = `test_${process.pid}_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE SCHEMA ${name}`));
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${name}`);
  return {
    url: url.toString(),
    name,
    settings: { DATABASE_URL: url.toString(), DATABASE_POOL_SIZE: '4' },
    drop: () => admin(async (c) => void (await c.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`))),
  };
}
