import type { ModuleApiName } from '@bigin-attachments/contract';
import type Database from 'better-sqlite3';
import { CALLBACK_OPERATION, type ChangeEvent, type OutboxChange } from '../outbox-change.js';

const LIVE_MATCH = `FROM watch_events e JOIN watch_channels c ON c.org_id = e.org_id AND c.channel_id = e.channel_id
  WHERE e.org_id = @org AND e.module = @module AND e.operation IN (@event, 'all') AND c.expires_at > @at`;

/**
 * Called by the record-data repository inside its own write transactions (synchronous, like
 * every better-sqlite3 call), so that a change and its callbacks commit or roll back together.
 */
export interface SqliteOutboxWriter {
  /** Whether a live channel of the organisation listens to this event (an indexed lookup). */
  watched(orgId: string, module: ModuleApiName, event: ChangeEvent, at: number): boolean;
  /** Appends one outbox row per live channel that listens to the change. */
  append(orgId: string, change: OutboxChange, at: number): void;
}

export function createSqliteOutboxWriter(db: Database.Database): SqliteOutboxWriter {
  const watched = db.prepare(`SELECT 1 ${LIVE_MATCH} LIMIT 1`);
  const append = db.prepare(`INSERT INTO notification_outbox
      (org_id, channel_id, module, operation, ids, affected_fields, affected_values, created_at, status, attempts, next_attempt_at)
    SELECT DISTINCT c.org_id, c.channel_id, @module, @operation, @ids, @fields, @values, @at, 'pending', 0, @at
    ${LIVE_MATCH} ORDER BY c.channel_id`);
  return {
    watched: (orgId, module, event, at) => watched.get({ org: orgId, module, event, at }) !== undefined,
    append: (orgId, change, at) => {
      append.run({
        org: orgId,
        module: change.module,
        event: change.event,
        operation: CALLBACK_OPERATION[change.event],
        ids: JSON.stringify(change.ids),
        fields: JSON.stringify(change.affectedFields),
        values: JSON.stringify(change.affectedValues),
        at,
      });
    },
  };
}
