import type { DataCenterId, ModuleApiName } from '@bigin-attachments/contract';
import type Database from 'better-sqlite3';
import type {
  ClaimedDelivery,
  NotificationRepository,
  WatchChannel,
  WatchEvent,
} from '../../domain/notifications-ports.js';
import { CALLBACK_OPERATION, type ChangeEvent, type OutboxChange, toOutboxEntry } from '../outbox-change.js';
import { num, type Row, str, strOrNull } from './sqlite-rows.js';

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

function toChannel(r: Row): WatchChannel {
  return {
    orgId: str(r.org_id),
    channelId: str(r.channel_id),
    userId: str(r.user_id),
    dataCenter: str(r.data_center) as DataCenterId,
    notifyUrl: str(r.notify_url),
    token: strOrNull(r.token),
    expiresAt: num(r.expires_at),
    returnAffectedFieldValues: r.return_affected_field_values === 1,
    notifyOnRelatedAction: r.notify_on_related_action === 1,
    events: JSON.parse(str(r.events)) as WatchEvent[],
    createdAt: num(r.created_at),
  };
}

const CHANNEL_COLUMNS =
  'org_id, channel_id, user_id, data_center, notify_url, token, expires_at, return_affected_field_values, notify_on_related_action, events, created_at';
const OUTBOX_COLUMNS =
  'seq, org_id, channel_id, module, operation, ids, affected_fields, affected_values, created_at, status, attempts, next_attempt_at, last_response_code, last_latency_ms, last_error, finished_at';

export function createSqliteNotificationRepository(db: Database.Database): NotificationRepository {
  const find = db.prepare(
    `SELECT ${CHANNEL_COLUMNS} FROM watch_channels WHERE org_id = ? AND channel_id IN (SELECT value FROM json_each(?))`,
  );
  const upsert = db.prepare(`INSERT INTO watch_channels (${CHANNEL_COLUMNS})
    VALUES (@org, @channel, @user, @dc, @url, @token, @expires, @values, @related, @events, @created)
    ON CONFLICT (org_id, channel_id) DO UPDATE SET user_id = excluded.user_id, data_center = excluded.data_center,
      notify_url = excluded.notify_url, token = excluded.token, expires_at = excluded.expires_at,
      return_affected_field_values = excluded.return_affected_field_values,
      notify_on_related_action = excluded.notify_on_related_action, events = excluded.events`);
  const clearEvents = db.prepare('DELETE FROM watch_events WHERE org_id = ? AND channel_id = ?');
  const addEvent = db.prepare(
    'INSERT OR IGNORE INTO watch_events (org_id, channel_id, module, operation) VALUES (?, ?, ?, ?)',
  );
  const remove = db.prepare('DELETE FROM watch_channels WHERE org_id = ? AND channel_id = ?');
  const drop =
    db.prepare(`UPDATE notification_outbox SET status = 'dropped', finished_at = ?, lease_until = NULL
    WHERE org_id = ? AND channel_id = ? AND status = 'pending'`);
  const list = db.prepare(`SELECT ${CHANNEL_COLUMNS} FROM watch_channels
    WHERE org_id = @org AND user_id = @user
      AND (@channel IS NULL OR channel_id = @channel)
      AND (@module IS NULL OR EXISTS (SELECT 1 FROM watch_events e
        WHERE e.org_id = watch_channels.org_id AND e.channel_id = watch_channels.channel_id AND e.module = @module))
    ORDER BY created_at, length(channel_id), channel_id LIMIT @limit OFFSET @offset`);
  // The oldest pending row of each channel only: a channel's next callback waits for the one before.
  const due = db.prepare(`SELECT ${OUTBOX_COLUMNS} FROM notification_outbox o
    WHERE o.status = 'pending' AND o.next_attempt_at <= @now AND (o.lease_until IS NULL OR o.lease_until <= @now)
      AND o.seq = (SELECT min(p.seq) FROM notification_outbox p
        WHERE p.org_id = o.org_id AND p.channel_id = o.channel_id AND p.status = 'pending')
    ORDER BY o.next_attempt_at, o.seq LIMIT @limit`);
  const lease = db.prepare(
    'UPDATE notification_outbox SET lease_until = ?, attempts = attempts + 1 WHERE seq = ? RETURNING attempts',
  );
  const channel = db.prepare(
    `SELECT ${CHANNEL_COLUMNS} FROM watch_channels WHERE org_id = ? AND channel_id = ?`,
  );
  const finish = db.prepare(`UPDATE notification_outbox SET status = @status, next_attempt_at = @next,
      lease_until = NULL, last_response_code = @code, last_latency_ms = @latency, last_error = @error,
      finished_at = CASE WHEN @status = 'pending' THEN NULL ELSE @at END
    WHERE seq = @seq AND attempts = @attempt AND status = 'pending'`);
  const deliveries = db.prepare(`SELECT ${OUTBOX_COLUMNS} FROM notification_outbox
    WHERE (@org IS NULL OR org_id = @org) AND (@channel IS NULL OR channel_id = @channel)
    ORDER BY seq DESC LIMIT @limit`);

  const saveTx = db.transaction((c: WatchChannel) => {
    upsert.run({
      org: c.orgId,
      channel: c.channelId,
      user: c.userId,
      dc: c.dataCenter,
      url: c.notifyUrl,
      token: c.token,
      expires: c.expiresAt,
      values: c.returnAffectedFieldValues ? 1 : 0,
      related: c.notifyOnRelatedAction ? 1 : 0,
      events: JSON.stringify(c.events),
      created: c.createdAt,
    });
    clearEvents.run(c.orgId, c.channelId);
    for (const e of c.events) addEvent.run(c.orgId, c.channelId, e.module, e.operation);
  });
  const deleteTx = db.transaction((orgId: string, channelId: string, at: number) => {
    if (remove.run(orgId, channelId).changes !== 1) return false;
    drop.run(at, orgId, channelId);
    return true;
  });
  const claimTx = db.transaction((now: number, leaseUntil: number, limit: number): ClaimedDelivery[] =>
    (due.all({ now, limit }) as Row[]).map((r) => {
      const attempts = num((lease.get(leaseUntil, r.seq) as Row).attempts);
      const c = channel.get(r.org_id, r.channel_id) as Row | undefined;
      return { entry: { ...toOutboxEntry(r), attempts }, channel: c ? toChannel(c) : null };
    }),
  );

  return {
    findChannels: async (orgId, ids) =>
      new Map(
        (find.all(orgId, JSON.stringify(ids)) as Row[]).map(
          (r) => [str(r.channel_id), toChannel(r)] as const,
        ),
      ),
    saveChannel: async (c) => saveTx.immediate(c),
    deleteChannel: async (orgId, channelId, at) => deleteTx.immediate(orgId, channelId, at),
    listChannels: async ({ orgId, userId, module, channelId, limit, offset }) =>
      (list.all({ org: orgId, user: userId, module, channel: channelId, limit, offset }) as Row[]).map(
        toChannel,
      ),
    claimDue: async ({ now, leaseUntil, limit }) => claimTx.immediate(now, leaseUntil, limit),
    finish: async (o) =>
      finish.run({
        status: o.status,
        next: o.nextAttemptAt,
        code: o.responseCode,
        latency: o.latencyMs,
        error: o.error,
        at: o.at,
        seq: o.seq,
        attempt: o.attempt,
      }).changes === 1,
    listDeliveries: async ({ orgId, channelId, limit }) =>
      (deliveries.all({ org: orgId, channel: channelId, limit }) as Row[]).map((r) => toOutboxEntry(r)),
  };
}
