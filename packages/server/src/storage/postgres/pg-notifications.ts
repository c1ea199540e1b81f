import { CALLBACK_OPERATION, type OutboxChange } from '../outbox-change.js';
import type { Queryable } from './pg-support.js';

/**
 * SQL for "a live channel of org `$org` listens to `$event` on `$module` at `$at`", for the record
 * writes to fold into statements they run anyway (so that no channel costs no round trip).
 */
export function liveWatchExists(org: string, module: string | null, event: string, at: string): string {
  return `EXISTS (SELECT 1 FROM watch_events e JOIN watch_channels c
    ON c.org_id = e.org_id AND c.channel_id = e.channel_id
    WHERE e.org_id = ${org} ${module ? `AND e.module = ${module}` : ''} AND e.operation IN (${event}, 'all')
      AND c.expires_at > ${at})`;
}

/** Appends one outbox row per live channel listening to the change, on the write's own transaction. */
export async function appendOutbox(
  db: Queryable,
  orgId: string,
  change: OutboxChange,
  at: number,
): Promise<void> {
  await db.query(
    `INSERT INTO notification_outbox
       (org_id, channel_id, module, operation, ids, affected_fields, affected_values, created_at, status, attempts, next_attempt_at)
     SELECT c.org_id, c.channel_id, $2, $4, $5::json, $6::json, $7::json, $8::bigint, 'pending', 0, $8::bigint
     FROM watch_channels c
     WHERE c.org_id = $1 AND c.expires_at > $8 AND EXISTS (SELECT 1 FROM watch_events e
       WHERE e.org_id = c.org_id AND e.channel_id = c.channel_id AND e.module = $2 AND e.operation IN ($3, 'all'))
     ORDER BY c.channel_id`,
    [
      orgId,
      change.module,
      change.event,
      CALLBACK_OPERATION[change.event],
      JSON.stringify(change.ids),
      JSON.stringify(change.affectedFields),
      JSON.stringify(change.affectedValues),
      at,
    ],
  );
}
