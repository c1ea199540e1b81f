import type { DataCenterId } from '@bigin-attachments/contract';
import type pg from 'pg';
import type {
  ClaimedDelivery,
  DeliveryOutcome,
  NotificationRepository,
  OutboxEntry,
  WatchChannel,
  WatchEvent,
} from '../../domain/notifications-ports.js';
import { CALLBACK_OPERATION, type OutboxChange, toOutboxEntry } from '../outbox-change.js';
import { inTransaction, num, type Queryable, type Row, str, strOrNull } from './pg-support.js';

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

const CHANNEL_COLUMNS =
  'org_id, channel_id, user_id, data_center, notify_url, token, expires_at, return_affected_field_values, notify_on_related_action, events, created_at';
const OUTBOX_COLUMNS =
  'seq, org_id, channel_id, module, operation, ids, affected_fields, affected_values, created_at, status, attempts, next_attempt_at, last_response_code, last_latency_ms, last_error, finished_at';

function toChannel(r: Row): WatchChannel {
  return {
    orgId: str(r.org_id),
    channelId: str(r.channel_id),
    userId: str(r.user_id),
    dataCenter: str(r.data_center) as DataCenterId,
    notifyUrl: str(r.notify_url),
    token: strOrNull(r.token),
    expiresAt: num(r.expires_at),
    returnAffectedFieldValues: r.return_affected_field_values === true,
    notifyOnRelatedAction: r.notify_on_related_action === true,
    events: r.events as WatchEvent[],
    createdAt: num(r.created_at),
  };
}

// JSON columns come back parsed.
const entry = (r: Row): OutboxEntry => toOutboxEntry(r, (v) => v);

/**
 * Channels and outbox in PostgreSQL. Claims use FOR UPDATE SKIP LOCKED plus a lease, so that
 * nodes sharing the outbox never make the same attempt twice and never wait on each other.
 */
export class PgNotificationRepository implements NotificationRepository {
  constructor(private readonly pool: pg.Pool) {}

  async findChannels(orgId: string, channelIds: readonly string[]): Promise<Map<string, WatchChannel>> {
    const { rows } = await this.pool.query<Row>(
      `SELECT ${CHANNEL_COLUMNS} FROM watch_channels WHERE org_id = $1 AND channel_id = ANY($2::text[])`,
      [orgId, channelIds],
    );
    return new Map(rows.map((r) => [str(r.channel_id), toChannel(r)]));
  }

  async saveChannel(c: WatchChannel): Promise<void> {
    await inTransaction(this.pool, async (db) => {
      await db.query(
        `INSERT INTO watch_channels (${CHANNEL_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::json, $11)
         ON CONFLICT (org_id, channel_id) DO UPDATE SET user_id = excluded.user_id, data_center = excluded.data_center,
           notify_url = excluded.notify_url, token = excluded.token, expires_at = excluded.expires_at,
           return_affected_field_values = excluded.return_affected_field_values,
           notify_on_related_action = excluded.notify_on_related_action, events = excluded.events`,
        [
          c.orgId,
          c.channelId,
          c.userId,
          c.dataCenter,
          c.notifyUrl,
          c.token,
          c.expiresAt,
          c.returnAffectedFieldValues,
          c.notifyOnRelatedAction,
          JSON.stringify(c.events),
          c.createdAt,
        ],
      );
      await db.query('DELETE FROM watch_events WHERE org_id = $1 AND channel_id = $2', [
        c.orgId,
        c.channelId,
      ]);
      await db.query(
        `INSERT INTO watch_events (org_id, channel_id, module, operation)
         SELECT $1, $2, m, o FROM unnest($3::text[], $4::text[]) AS t (m, o) ON CONFLICT DO NOTHING`,
        [c.orgId, c.channelId, c.events.map((e) => e.module), c.events.map((e) => e.operation)],
      );
    });
  }

  async deleteChannel(orgId: string, channelId: string, at: number): Promise<boolean> {
    return inTransaction(this.pool, async (db) => {
      const { rowCount } = await db.query(
        'DELETE FROM watch_channels WHERE org_id = $1 AND channel_id = $2',
        [orgId, channelId],
      );
      if (rowCount !== 1) return false;
      await db.query(
        `UPDATE notification_outbox SET status = 'dropped', finished_at = $1, lease_until = NULL
         WHERE org_id = $2 AND channel_id = $3 AND status = 'pending'`,
        [at, orgId, channelId],
      );
      return true;
    });
  }

  async listChannels(input: Parameters<NotificationRepository['listChannels']>[0]): Promise<WatchChannel[]> {
    const { rows } = await this.pool.query<Row>(
      `SELECT ${CHANNEL_COLUMNS} FROM watch_channels w
       WHERE org_id = $1 AND user_id = $2 AND ($3::text IS NULL OR channel_id = $3)
         AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM watch_events e
           WHERE e.org_id = w.org_id AND e.channel_id = w.channel_id AND e.module = $4))
       ORDER BY created_at, length(channel_id), channel_id COLLATE "C" LIMIT $5 OFFSET $6`,
      [input.orgId, input.userId, input.channelId, input.module, input.limit, input.offset],
    );
    return rows.map(toChannel);
  }

  async claimDue(input: { now: number; leaseUntil: number; limit: number }): Promise<ClaimedDelivery[]> {
    // Only the oldest pending row of a channel is eligible, so a channel's callbacks keep their
    // order across nodes; SKIP LOCKED lets another node's concurrent claim take other channels.
    const { rows } = await this.pool.query<Row>(
      `WITH picked AS (
         SELECT o.seq FROM notification_outbox o
         WHERE o.status = 'pending' AND o.next_attempt_at <= $1 AND (o.lease_until IS NULL OR o.lease_until <= $1)
           AND NOT EXISTS (SELECT 1 FROM notification_outbox p
             WHERE p.org_id = o.org_id AND p.channel_id = o.channel_id AND p.status = 'pending' AND p.seq < o.seq)
         ORDER BY o.next_attempt_at, o.seq LIMIT $3 FOR UPDATE SKIP LOCKED)
       UPDATE notification_outbox n SET lease_until = $2, attempts = n.attempts + 1
       FROM picked WHERE n.seq = picked.seq
       RETURNING ${OUTBOX_COLUMNS.split(', ')
         .map((c) => `n.${c}`)
         .join(', ')}`,
      [input.now, input.leaseUntil, input.limit],
    );
    if (rows.length === 0) return [];
    const channels = await this.pool.query<Row>(
      `SELECT ${CHANNEL_COLUMNS} FROM watch_channels
       WHERE (org_id, channel_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
      [rows.map((r) => str(r.org_id)), rows.map((r) => str(r.channel_id))],
    );
    const byKey = new Map(channels.rows.map((c) => [`${str(c.org_id)}:${str(c.channel_id)}`, toChannel(c)]));
    return rows
      .map((r) => ({ entry: entry(r), channel: byKey.get(`${str(r.org_id)}:${str(r.channel_id)}`) ?? null }))
      .sort((a, b) => a.entry.seq - b.entry.seq);
  }

  async finish(o: DeliveryOutcome): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE notification_outbox SET status = $1, next_attempt_at = $2, lease_until = NULL,
         last_response_code = $3, last_latency_ms = $4, last_error = $5,
         finished_at = CASE WHEN $1 = 'pending' THEN NULL ELSE $6::bigint END
       WHERE seq = $7 AND attempts = $8 AND status = 'pending'`,
      [o.status, o.nextAttemptAt, o.responseCode, o.latencyMs, o.error, o.at, o.seq, o.attempt],
    );
    return rowCount === 1;
  }

  async listDeliveries(input: { orgId: string | null; channelId: string | null; limit: number }) {
    const { rows } = await this.pool.query<Row>(
      `SELECT ${OUTBOX_COLUMNS} FROM notification_outbox
       WHERE ($1::text IS NULL OR org_id = $1) AND ($2::text IS NULL OR channel_id = $2)
       ORDER BY seq DESC LIMIT $3`,
      [input.orgId, input.channelId, input.limit],
    );
    return rows.map(entry);
  }
}
