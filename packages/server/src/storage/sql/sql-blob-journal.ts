import type { BlobJournal } from '../../domain/ports.js';
import type { SqlDialect } from './dialect.js';

/** Blob keys written before their row: what the purge removes if the row never came. */
export function createSqlBlobJournal(d: SqlDialect): BlobJournal {
  const begin = d.prepare(
    'INSERT INTO blob_journal (blob_key, begun_at) VALUES ($1, $2) ON CONFLICT (blob_key) DO NOTHING',
  );
  const stale = d.prepare(
    'SELECT blob_key FROM blob_journal WHERE begun_at < $1 ORDER BY begun_at, blob_key LIMIT $2',
  );
  const forget = d.prepare(`DELETE FROM blob_journal WHERE ${d.fragments.inList('blob_key', '$1')}`);
  return {
    // Durable before the blob is written (group-committed on SQLite).
    begin: async (key, at) => {
      await d.write([[begin, [key, at]]]);
    },
    stale: async (before, limit) => (await d.all(stale, [before, limit])).map((r) => r.blob_key as string),
    forget: async (keys) => {
      if (keys.length > 0) await d.run(forget, [d.list(keys)]);
    },
  };
}
