import type Database from 'better-sqlite3';
import type { ApiCreditLedger, OrgApiLimits } from '../../domain/ports.js';

type Row = Record<string, unknown>;

/**
 * The credit ledger in the SQLite file. Each charge is one immediate transaction, so concurrent
 * requests (and admin commands in another process) cannot both take the last credit.
 */
export function createSqliteApiCreditLedger(db: Database.Database): ApiCreditLedger {
  const getLimits = db.prepare(
    'SELECT enabled, edition, licences, concurrency FROM api_credit_limits WHERE org_id = ?',
  );
  const putLimits = db.prepare(
    `INSERT INTO api_credit_limits (org_id, enabled, edition, licences, concurrency) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (org_id) DO UPDATE SET enabled = excluded.enabled, edition = excluded.edition,
       licences = excluded.licences, concurrency = excluded.concurrency`,
  );
  const dropLimits = db.prepare('DELETE FROM api_credit_limits WHERE org_id = ?');
  const anyEnabled = db.prepare('SELECT 1 FROM api_credit_limits WHERE enabled = 1 LIMIT 1');
  const expire = db.prepare('DELETE FROM api_credit_calls WHERE org_id = ? AND at <= ?');
  const used = db.prepare(
    'SELECT coalesce(sum(credits), 0) AS used, count(*) AS calls, min(at) AS oldest FROM api_credit_calls WHERE org_id = ? AND at > ?',
  );
  const record = db.prepare('INSERT INTO api_credit_calls (org_id, at, credits) VALUES (?, ?, ?)');
  const reset = db.prepare('DELETE FROM api_credit_calls WHERE org_id = ?');
  const charge = db.transaction(
    (orgId: string, at: number, credits: number, since: number, allowance: number) => {
      expire.run(orgId, since);
      const before = Number((used.get(orgId, since) as Row).used);
      if (before + credits > allowance) return { granted: false, used: before };
      record.run(orgId, at, credits);
      return { granted: true, used: before + credits };
    },
  );

  return {
    async limits(orgId) {
      const row = getLimits.get(orgId) as Row | undefined;
      if (!row) return null;
      return {
        enabled: row.enabled === 1,
        edition: row.edition as OrgApiLimits['edition'],
        licences: Number(row.licences),
        concurrency: row.concurrency === null ? null : Number(row.concurrency),
      };
    },
    async setLimits(orgId, limits) {
      if (!limits) dropLimits.run(orgId);
      else putLimits.run(orgId, limits.enabled ? 1 : 0, limits.edition, limits.licences, limits.concurrency);
    },
    async anyEnabled() {
      return anyEnabled.get() !== undefined;
    },
    async charge(orgId, at, credits, since, allowance) {
      return charge.immediate(orgId, at, credits, since, allowance);
    },
    async usage(orgId, since) {
      const row = used.get(orgId, since) as Row;
      return {
        used: Number(row.used),
        calls: Number(row.calls),
        oldest: row.oldest === null ? null : Number(row.oldest),
      };
    },
    async resetUsage(orgId) {
      reset.run(orgId);
    },
  };
}
