import type { ApiCreditLedger, OrgApiLimits } from '../../domain/ports.js';
import type { SqlDialect } from './dialect.js';

/**
 * The credit ledger. Each charge is one transaction under a lock on the organisation (SQLite: the
 * immediate transaction itself; PostgreSQL: an advisory lock), so that concurrent requests, admin
 * commands in another process and other nodes cannot both take its last credit, while other
 * organisations are not blocked.
 */
export function createSqlApiCreditLedger(d: SqlDialect): ApiCreditLedger {
  const getLimits = d.prepare(
    'SELECT enabled, edition, licences, concurrency FROM api_credit_limits WHERE org_id = $1',
  );
  const putLimits = d.prepare(
    `INSERT INTO api_credit_limits (org_id, enabled, edition, licences, concurrency) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (org_id) DO UPDATE SET enabled = excluded.enabled, edition = excluded.edition,
       licences = excluded.licences, concurrency = excluded.concurrency`,
  );
  const dropLimits = d.prepare('DELETE FROM api_credit_limits WHERE org_id = $1');
  const anyEnabled = d.prepare('SELECT 1 FROM api_credit_limits WHERE enabled = TRUE LIMIT 1');
  const expire = d.prepare('DELETE FROM api_credit_calls WHERE org_id = $1 AND at <= $2');
  // CAST: PostgreSQL's sum of BIGINT is NUMERIC, which node-postgres reads as a string.
  const used = d.prepare(
    `SELECT CAST(coalesce(sum(credits), 0) AS BIGINT) AS used, count(*) AS calls, min(at) AS oldest
     FROM api_credit_calls WHERE org_id = $1 AND at > $2`,
  );
  const record = d.prepare('INSERT INTO api_credit_calls (org_id, at, credits) VALUES ($1, $2, $3)');
  const reset = d.prepare('DELETE FROM api_credit_calls WHERE org_id = $1');

  return {
    async limits(orgId) {
      const row = await d.get(getLimits, [orgId]);
      if (!row) return null;
      return {
        enabled: d.readBool(row.enabled),
        edition: row.edition as OrgApiLimits['edition'],
        licences: Number(row.licences),
        concurrency: row.concurrency === null ? null : Number(row.concurrency),
      };
    },
    async setLimits(orgId, limits) {
      if (!limits) await d.run(dropLimits, [orgId]);
      else
        await d.run(putLimits, [
          orgId,
          d.bool(limits.enabled),
          limits.edition,
          limits.licences,
          limits.concurrency,
        ]);
    },
    async anyEnabled() {
      return (await d.get(anyEnabled)) !== undefined;
    },
    charge(orgId, at, credits, since, allowance) {
      return d.transaction(function* (tx) {
        yield* d.lock(tx, `api_credits:${orgId}`);
        yield* tx.run(expire, [orgId, since]);
        const before = Number((yield* tx.get(used, [orgId, since]))!.used);
        if (before + credits > allowance) return { granted: false, used: before };
        yield* tx.run(record, [orgId, at, credits]);
        return { granted: true, used: before + credits };
      });
    },
    async usage(orgId, since) {
      const row = (await d.get(used, [orgId, since]))!;
      return {
        used: Number(row.used),
        calls: Number(row.calls),
        oldest: row.oldest === null ? null : Number(row.oldest),
      };
    },
    async resetUsage(orgId) {
      await d.run(reset, [orgId]);
    },
  };
}
