import type pg from 'pg';
import type { BlobJournal } from '../../domain/ports.js';
import { type Row, str } from './pg-support.js';

export class PgBlobJournal implements BlobJournal {
  constructor(private readonly pool: pg.Pool) {}

  async begin(key: string, at: number): Promise<void> {
    await this.pool.query(
      'INSERT INTO blob_journal (blob_key, begun_at) VALUES ($1, $2) ON CONFLICT (blob_key) DO NOTHING',
      [key, at],
    );
  }

  async stale(before: number, limit: number): Promise<string[]> {
    const { rows } = await this.pool.query<Row>(
      'SELECT blob_key FROM blob_journal WHERE begun_at < $1 ORDER BY begun_at, blob_key LIMIT $2',
      [before, limit],
    );
    return rows.map((r) => str(r.blob_key));
  }

  async forget(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.pool.query('DELETE FROM blob_journal WHERE blob_key = ANY($1::text[])', [keys]);
  }
}
