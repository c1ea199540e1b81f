import type pg from 'pg';
import type { InstallationSecrets } from '../../domain/ports.js';

/** ON CONFLICT DO NOTHING: nodes starting together all read the one secret that was inserted first. */
export function createPgInstallationSecrets(pool: pg.Pool): InstallationSecrets {
  return {
    async getOrCreate(name, candidate) {
      await pool.query(
        'INSERT INTO installation_secrets (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING',
        [name, candidate, Date.now()],
      );
      const { rows } = await pool.query<{ value: string }>(
        'SELECT value FROM installation_secrets WHERE name = $1',
        [name],
      );
      return rows[0]!.value;
    },
  };
}
