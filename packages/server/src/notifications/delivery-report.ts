import type { OutboxEntry } from '../domain/ports.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A delivery log entry as the admin command and `GET /_admin/notifications/deliveries` show it. */
export function deliveryReport(e: OutboxEntry) {
  return {
    seq: e.seq,
    org_id: e.orgId,
    channel_id: e.channelId,
    module: e.module,
    operation: e.operation,
    ids: e.ids,
    status: e.status,
    attempts: e.attempts,
    response_code: e.lastResponseCode,
    latency_ms: e.lastLatencyMs,
    error: e.lastError,
    changed_at: iso(e.createdAt),
    next_attempt_at: e.status === 'pending' ? iso(e.nextAttemptAt) : null,
    finished_at: iso(e.finishedAt),
  };
}

export const MAX_DELIVERIES_LISTED = 1000;
