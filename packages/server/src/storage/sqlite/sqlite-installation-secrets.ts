import type Database from 'better-sqlite3';
import type { InstallationSecrets } from '../../domain/ports.js';

/** Written once at start-up, so a plain statement on the main connection (not the writer thread). */
export function createSqliteInstallationSecrets(db: Database.Database): InstallationSecrets {
  const insert = db.prepare(
    'INSERT OR IGNORE INTO installation_secrets (name, value, created_at) VALUES (?, ?, ?)',
  );
  const select = db.prepare('SELECT value FROM installation_secrets WHERE name = ?');
  return {
    async getOrCreate(name, candidate) {
      insert.run(name, candidate, Date.now());
      return (select.get(name) as { value: string }).value;
    },
  };
}
