import { CALLBACK_OPERATION, type OutboxChange } from '../outbox-change.js';
import type { SqlDialect, Tx, TxOp } from './dialect.js';

/**
 * SQL for "a live channel of org `org` listens to `event` on `module` (any module when null) at
 * `at`", the arguments being SQL (parameters or literals), so that a record write can fold the
 * check into a statement it runs anyway.
 */
export function liveWatchSql(org: string, module: string | null, event: string, at: string): string {
  return `EXISTS (SELECT 1 FROM watch_events e JOIN watch_channels c
    ON c.org_id = e.org_id AND c.channel_id = e.channel_id
    WHERE e.org_id = ${org} ${module ? `AND e.module = ${module}` : ''} AND e.operation IN (${event}, 'all')
      AND c.expires_at > ${at})`;
}

/**
 * Appends one outbox row per live channel listening to a change, inside the record write's own
 * transaction, so that a change and its callbacks commit or roll back together (issue 18).
 */
export type OutboxAppend = (tx: Tx, orgId: string, change: OutboxChange, at: number) => Generator<TxOp, void>;

export function createSqlOutboxAppend(d: SqlDialect): OutboxAppend {
  const f = d.fragments;
  // The listeners are read off watch_events' primary key (org, module, operation) and each channel
  // by its own key; IN rather than a join appends a channel that listens to both the operation
  // and 'all' once, without a DISTINCT.
  const append = d.prepare(`INSERT INTO notification_outbox
      (org_id, channel_id, module, operation, ids, affected_fields, affected_values, created_at, status, attempts, next_attempt_at)
    SELECT c.org_id, c.channel_id, $2, $4, ${f.asJson('$5')}, ${f.asJson('$6')}, ${f.asJson('$7')},
      CAST($8 AS BIGINT), 'pending', 0, CAST($8 AS BIGINT)
    FROM watch_channels c
    WHERE c.org_id = $1 AND c.expires_at > $8 AND c.channel_id IN (SELECT e.channel_id FROM watch_events e
      WHERE e.org_id = $1 AND e.module = $2 AND e.operation IN ($3, 'all'))
    ORDER BY c.channel_id`);
  return function* (tx, orgId, change, at) {
    yield* tx.run(append, [
      orgId,
      change.module,
      change.event,
      CALLBACK_OPERATION[change.event],
      d.json(change.ids),
      d.json(change.affectedFields),
      d.json(change.affectedValues),
      at,
    ]);
  };
}
