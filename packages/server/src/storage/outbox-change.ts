import type { ModuleApiName } from '@bigin-attachments/contract';
import type { DeliveryStatus, OutboxEntry } from '../domain/notifications-ports.js';

/*
 * What a record write appends to the notification outbox, computed the same way by both
 * backends inside the write's own transaction.
 */

/** The subscription operation a change matches, and the name a callback gives it. */
export type ChangeEvent = 'create' | 'edit' | 'delete';
export const CALLBACK_OPERATION = { create: 'insert', edit: 'update', delete: 'delete' } as const;

export interface OutboxChange {
  module: ModuleApiName;
  event: ChangeEvent;
  ids: string[];
  affectedFields: Array<Record<string, string[]>>;
  affectedValues: Array<{ record_id: string; values: Record<string, unknown> }>;
}

/** Inserts, deletes and restores carry ids only. */
export function idsChange(module: ModuleApiName, event: ChangeEvent, ids: string[]): OutboxChange {
  return { module, event, ids, affectedFields: [], affectedValues: [] };
}

/**
 * An update: the fields whose stored value changed (set, cleared or replaced), in the record's
 * field order, with their new values (`null` for a cleared field).
 */
export function updateChange(
  module: ModuleApiName,
  id: string,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): OutboxChange {
  const names = [...new Set([...Object.keys(after), ...Object.keys(before)])];
  const changed = names.filter((f) => JSON.stringify(before[f] ?? null) !== JSON.stringify(after[f] ?? null));
  return {
    module,
    event: 'edit',
    ids: [id],
    affectedFields: [{ [id]: changed }],
    affectedValues: [
      { record_id: id, values: Object.fromEntries(changed.map((f) => [f, after[f] ?? null])) },
    ],
  };
}

/** Groups ids by module, keeping first-seen order. */
export function byModule(
  rows: Iterable<{ id: string; module: ModuleApiName }>,
): Map<ModuleApiName, string[]> {
  const out = new Map<ModuleApiName, string[]>();
  for (const r of rows) out.set(r.module, [...(out.get(r.module) ?? []), r.id]);
  return out;
}

const nullable = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** An outbox row (every column of the delivery log) as the port's entry; `parse` reads JSON columns. */
export function toOutboxEntry(
  r: Record<string, unknown>,
  parse: (v: unknown) => unknown = (v) => JSON.parse(v as string),
): OutboxEntry {
  return {
    seq: Number(r.seq),
    orgId: r.org_id as string,
    channelId: r.channel_id as string,
    module: r.module as ModuleApiName,
    operation: r.operation as OutboxEntry['operation'],
    ids: parse(r.ids) as string[],
    affectedFields: parse(r.affected_fields) as OutboxEntry['affectedFields'],
    affectedValues: parse(r.affected_values) as OutboxEntry['affectedValues'],
    createdAt: Number(r.created_at),
    status: r.status as DeliveryStatus,
    attempts: Number(r.attempts),
    nextAttemptAt: Number(r.next_attempt_at),
    lastResponseCode: nullable(r.last_response_code),
    lastLatencyMs: nullable(r.last_latency_ms),
    lastError: (r.last_error as string | null) ?? null,
    finishedAt: nullable(r.finished_at),
  };
}
