import type pg from 'pg';
import type { ApiCreditLedger, OrgApiLimits } from '../../domain/ports.js';
import { inTransaction, type Row } from './pg-support.js';

/**
 * The credit ledger in PostgreSQL, shared by every node. A charge takes a transaction-scoped
 * advisory lock on the organisation, so that two nodes charging the same organisation at once
 * are serialised and cannot both take its last credit; other organisations are not blocked.
 */
export class PgApiCreditLedger implements ApiCreditLedger {
  constructor(private readonly pool: pg.Pool) {}

  async limits(orgId: string): Promise<OrgApiLimits | null> {
    const { rows } = await this.pool.query<Row>(
      'SELECT enabled, edition, licences, concurrency FROM api_credit_limits WHERE org_id = $1',
      [orgId],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      enabled: row.enabled === true,
      edition: row.edition as OrgApiLimits['edition'],
      licences: Number(row.licences),
      concurrency: row.concurrency === null ? null : Number(row.concurrency),
    };
  }

  async setLimits(orgId: string, limits: OrgApiLimits | null): Promise<void> {
    if (!limits) {
      await this.pool.query('DELETE FROM api_credit_limits WHERE org_id = $1', [orgId]);
      return;
    }
    await this.pool.query(
      `INSERT INTO api_credit_limits (org_id, enabled, edition, licences, concurrency) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (org_id) DO UPDATE SET enabled = excluded.enabled, edition = excluded.edition,
         licences = excluded.licences, concurrency = excluded.concurrency`,
      [orgId, limits.enabled, limits.edition, limits.licences, limits.concurrency],
    );
  }

  async anyEnabled(): Promise<boolean> {
    const { rows } = await this.pool.query('SELECT 1 FROM api_credit_limits WHERE enabled LIMIT 1');
    return rows.length > 0;
  }

  async charge(
    orgId: string,
    at: number,
    credits: number,
    since: number,
    allowance: number,
  ): Promise<{ granted: boolean; used: number }> {
    return inTransaction(this.pool, async (client) => {
      await client.query("SELECT pg_advisory_xact_lock(hashtextextended('api_credits:' || $1, 0))", [orgId]);
      await client.query('DELETE FROM api_credit_calls WHERE org_id = $1 AND at <= $2', [orgId, since]);
      const { rows } = await client.query<Row>(
        'SELECT coalesce(sum(credits), 0)::bigint AS used FROM api_credit_calls WHERE org_id = $1 AND at > $2',
        [orgId, since],
      );
      const before = Number(rows[0]!.used);
      if (before + credits > allowance) return { granted: false, used: before };
      await client.query('INSERT INTO api_credit_calls (org_id, at, credits) VALUES ($1, $2, $3)', [
        orgId,
        at,
        credits,
      ]);
      return { granted: true, used: before + credits };
    });
  }

  async usage(orgId: string, since: number): Promise<{ used: number; calls: number; oldest: number | null }> {
    const { rows } = await this.pool.query<Row>(
      `SELECT coalesce(sum(credits), 0)::bigint AS used, count(*)::bigint AS calls, min(at) AS oldest
       FROM api_credit_calls WHERE org_id = $1 AND at > $2`,
      [orgId, since],
    );
    const row = rows[0]!;
    return {
      used: Number(row.used),
      calls: Number(row.calls),
      oldest: row.oldest === null ? null : Number(row.oldest),
    };
  }

  async resetUsage(orgId: string): Promise<void> {
    await this.pool.query('DELETE FROM api_credit_calls WHERE org_id = $1', [orgId]);
  }
}
