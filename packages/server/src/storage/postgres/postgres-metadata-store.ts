import pg from 'pg';
import { PgDialect } from '../sql/pg-dialect.js';
import { SqlMetadataStore } from '../sql/sql-metadata-store.js';
import { POSTGRES_MIGRATIONS } from './migrations.js';
import { num, pgTypes, type Row } from './pg-support.js';

export interface PostgresMetadataStoreOptions {
  /** `postgres://user:password@host:port/database`; `?options=-c search_path=…` selects a schema. */
  connectionString: string;
  /** Most connections this process opens (pg's pool `max`). */
  poolSize: number;
  /** How long a request waits for a free connection before failing, in milliseconds. */
  connectionTimeoutMs?: number;
}

/** Arbitrary constant: every node migrating the same database takes this advisory lock first. */
const MIGRATION_LOCK = 7_220_190_431;

/**
 * Metadata in PostgreSQL, shared by any number of stateless server processes. The repositories
 * are the shared ones (SqlMetadataStore); this class owns the pool and migrates.
 */
export class PostgresMetadataStore extends SqlMetadataStore {
  readonly pool: pg.Pool;
  declare readonly dialect: PgDialect;
  #closed: Promise<void> | null = null;

  constructor(options: PostgresMetadataStoreOptions) {
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize,
      connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
      types: pgTypes,
      // TCP keep-alive notices a connection silently lost in a failover, so it is not reused.
      keepAlive: true,
      // Shown in pg_stat_activity; `application_name` in the URL (or PGAPPNAME) overrides it.
      fallback_application_name: 'bigin-server',
      // A group commit (pg-group-commit.ts) writes BEGIN, its statements and COMMIT at once and
      // reads the answers in one round trip. Everything else awaits each statement, as without.
      pipeline: true,
    });
    // An idle connection that the server drops (restart, failover) must not crash the process;
    // the pool discards it and the next query opens a new one.
    pool.on('error', () => {});
    // Group commits hold at most two connections of the pool, one of a small one: the rest serve reads.
    super(new PgDialect(pool, { maxInFlight: options.poolSize >= 4 ? 2 : 1 }));
    this.pool = pool;
  }

  /**
   * Applies pending migrations, each in its own transaction. A session advisory lock serialises
   * nodes that start at the same moment: the second waits, then finds nothing left to do.
   */
  async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      try {
        await client.query(
          'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
        );
        const { rows } = await client.query<Row>('SELECT version FROM schema_migrations');
        const applied = new Set(rows.map((r) => num(r.version)));
        for (const m of POSTGRES_MIGRATIONS) {
          if (applied.has(m.version)) continue;
          // On the locked connection itself, so that a pool of one connection can migrate.
          await client.query('BEGIN');
          try {
            await client.query(m.sql);
            await client.query(
              'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)',
              [m.version, m.name, Date.now()],
            );
            await client.query('COMMIT');
          } catch (error) {
            await client.query('ROLLBACK');
            throw error;
          }
        }
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
      }
    } finally {
      client.release();
    }
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  /** Idempotent: answers the writes handed in and waits for queries in flight, then closes every connection. */
  close(): Promise<void> {
    this.#closed ??= this.dialect.drain().then(() => this.pool.end());
    return this.#closed;
  }
}
