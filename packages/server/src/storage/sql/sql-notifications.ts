import type { ClaimedDelivery, NotificationRepository } from '../../domain/notifications-ports.js';
import { toOutboxEntry } from '../outbox-change.js';
import { allKeys, columnList, insertSql, reader, writer } from './columns.js';
import type { Row, SqlDialect } from './dialect.js';
import { OUTBOX_COLUMNS, WATCH_CHANNELS } from './tables.js';

/**
 * Watch channels and the callback outbox. A claim takes the due rows under FOR UPDATE SKIP LOCKED
 * (PostgreSQL; SQLite's write transaction is exclusive anyway) plus a lease, so that nodes sharing
 * the outbox never make the same attempt twice and never wait on each other. Outbox rows are
 * written by the record writes themselves, inside their transactions (sql-outbox.ts).
 */
export function createSqlNotificationRepository(d: SqlDialect): NotificationRepository {
  const f = d.fragments;
  const keys = allKeys(WATCH_CHANNELS);
  const channelColumns = columnList(WATCH_CHANNELS, keys);
  const find = d.prepare(
    `SELECT ${channelColumns} FROM watch_channels WHERE org_id = $1 AND ${f.inList('channel_id', '$2')}`,
  );
  const upsert = d.prepare(`${insertSql(WATCH_CHANNELS, keys)}
    ON CONFLICT (org_id, channel_id) DO UPDATE SET user_id = excluded.user_id, data_center = excluded.data_center,
      notify_url = excluded.notify_url, token = excluded.token, expires_at = excluded.expires_at,
      return_affected_field_values = excluded.return_affected_field_values,
      notify_on_related_action = excluded.notify_on_related_action, events = excluded.events`);
  const clearEvents = d.prepare('DELETE FROM watch_events WHERE org_id = $1 AND channel_id = $2');
  const addEvent = d.prepare(
    'INSERT INTO watch_events (org_id, channel_id, module, operation) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
  );
  const remove = d.prepare('DELETE FROM watch_channels WHERE org_id = $1 AND channel_id = $2');
  const drop =
    d.prepare(`UPDATE notification_outbox SET status = 'dropped', finished_at = $1, lease_until = NULL
    WHERE org_id = $2 AND channel_id = $3 AND status = 'pending'`);
  const list = d.prepare(`SELECT ${channelColumns} FROM watch_channels w
    WHERE org_id = $1 AND user_id = $2 AND (CAST($3 AS TEXT) IS NULL OR channel_id = $3)
      AND (CAST($4 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM watch_events e
        WHERE e.org_id = w.org_id AND e.channel_id = w.channel_id AND e.module = $4))
    ORDER BY created_at, length(channel_id), channel_id${f.collateC} LIMIT $5 OFFSET $6`);
  // Only the oldest pending row of a channel is eligible, so a channel's callbacks keep their
  // order (across nodes too); SKIP LOCKED lets another node's concurrent claim take other channels.
  const due = d.prepare(`SELECT o.seq FROM notification_outbox o
    WHERE o.status = 'pending' AND o.next_attempt_at <= $1 AND (o.lease_until IS NULL OR o.lease_until <= $1)
      AND NOT EXISTS (SELECT 1 FROM notification_outbox p
        WHERE p.org_id = o.org_id AND p.channel_id = o.channel_id AND p.status = 'pending' AND p.seq < o.seq)
    ORDER BY o.next_attempt_at, o.seq LIMIT $2${f.forUpdateSkipLocked}`);
  const lease =
    d.prepare(`UPDATE notification_outbox SET lease_until = $1, attempts = attempts + 1 WHERE seq = $2
    RETURNING ${OUTBOX_COLUMNS}`);
  const channel = d.prepare(
    `SELECT ${channelColumns} FROM watch_channels WHERE org_id = $1 AND channel_id = $2`,
  );
  const finish =
    d.prepare(`UPDATE notification_outbox SET status = $1, next_attempt_at = $2, lease_until = NULL,
      last_response_code = $3, last_latency_ms = $4, last_error = $5,
      finished_at = CASE WHEN $1 = 'pending' THEN NULL ELSE CAST($6 AS BIGINT) END
    WHERE seq = $7 AND attempts = $8 AND status = 'pending'`);
  const deliveries = d.prepare(`SELECT ${OUTBOX_COLUMNS} FROM notification_outbox
    WHERE (CAST($1 AS TEXT) IS NULL OR org_id = $1) AND (CAST($2 AS TEXT) IS NULL OR channel_id = $2)
    ORDER BY seq DESC LIMIT $3`);
  const toChannel = reader(d, WATCH_CHANNELS, keys);
  const channelValues = writer(d, WATCH_CHANNELS, keys);
  const entry = (r: Row) => toOutboxEntry(r, (v) => d.readJson(v));

  return {
    findChannels: async (orgId, ids) =>
      new Map((await d.all(find, [orgId, d.list(ids)])).map((r) => [r.channel_id as string, toChannel(r)])),
    saveChannel: (c) =>
      d.transaction(function* (tx) {
        yield* tx.run(upsert, channelValues(c));
        yield* tx.run(clearEvents, [c.orgId, c.channelId]);
        for (const e of c.events) yield* tx.run(addEvent, [c.orgId, c.channelId, e.module, e.operation]);
      }),
    deleteChannel: (orgId, channelId, at) =>
      d.transaction(function* (tx) {
        if ((yield* tx.run(remove, [orgId, channelId])) !== 1) return false;
        yield* tx.run(drop, [at, orgId, channelId]);
        return true;
      }),
    listChannels: async ({ orgId, userId, module, channelId, limit, offset }) =>
      (await d.all(list, [orgId, userId, channelId, module, limit, offset])).map(toChannel),
    claimDue: ({ now, leaseUntil, limit }) =>
      d.transaction(function* (tx) {
        const claimed: ClaimedDelivery[] = [];
        for (const { seq } of yield* tx.all(due, [now, limit])) {
          const r = (yield* tx.get(lease, [leaseUntil, seq]))!;
          const c = yield* tx.get(channel, [r.org_id, r.channel_id]);
          claimed.push({ entry: entry(r), channel: c ? toChannel(c) : null });
        }
        return claimed;
      }),
    finish: async (o) =>
      (await d.run(finish, [
        o.status,
        o.nextAttemptAt,
        o.responseCode,
        o.latencyMs,
        o.error,
        o.at,
        o.seq,
        o.attempt,
      ])) === 1,
    listDeliveries: async ({ orgId, channelId, limit }) =>
      (await d.all(deliveries, [orgId, channelId, limit])).map(entry),
  };
}
