import type { InstallationSecrets } from '../../domain/ports.js';
import type { SqlDialect } from './dialect.js';

/**
 * Written once at start-up, so a plain statement (not the writer thread). ON CONFLICT DO NOTHING:
 * nodes (or processes) starting together all read the one secret that was inserted first.
 */
export function createSqlInstallationSecrets(d: SqlDialect): InstallationSecrets {
  const insert = d.prepare(
    'INSERT INTO installation_secrets (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING',
  );
  const select = d.prepare('SELECT value FROM installation_secrets WHERE name = $1');
  return {
    async getOrCreate(name, candidate) {
      await d.run(insert, [name, candidate, Date.now()]);
      return (await d.get(select, [name]))!.value as string;
    },
  };
}
