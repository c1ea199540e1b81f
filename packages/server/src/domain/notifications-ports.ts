import type { DataCenterId, ModuleApiName } from '@bigin-attachments/contract';

/*
 * Storage of notification channels (`/actions/watch`) and of the outbox of their callbacks
 * (issue 18, docs/notifications.md). The outbox rows are written by the record-data repository
 * inside the transaction of the change itself; this port reads and advances them.
 */

/** What a channel listens to: `{Module}.{operation}`, `all` meaning the three. */
export type WatchOperation = 'create' | 'edit' | 'delete' | 'all';

export interface WatchEvent {
  module: ModuleApiName;
  operation: WatchOperation;
}

export interface WatchChannel {
  orgId: string;
  channelId: string;
  /** The user who subscribed: only they list, change or remove the channel. */
  userId: string;
  dataCenter: DataCenterId;
  notifyUrl: string;
  token: string | null;
  expiresAt: number;
  returnAffectedFieldValues: boolean;
  notifyOnRelatedAction: boolean;
  /** In the order subscribed, without duplicates. */
  events: WatchEvent[];
  createdAt: number;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'expired' | 'dropped';

/** One callback owed to one channel: the outbox row, which is also its delivery log. */
export interface OutboxEntry {
  seq: number;
  orgId: string;
  channelId: string;
  module: ModuleApiName;
  /** The change's operation as a callback names it. */
  operation: 'insert' | 'update' | 'delete';
  ids: string[];
  /** Per changed record, the fields an update changed (empty for inserts and deletes). */
  affectedFields: Array<Record<string, string[]>>;
  /** Per changed record, the new values of those fields. */
  affectedValues: Array<{ record_id: string; values: Record<string, unknown> }>;
  /** When the change committed (the callback's `server_time`). */
  createdAt: number;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  lastResponseCode: number | null;
  lastLatencyMs: number | null;
  lastError: string | null;
  finishedAt: number | null;
}

/** A claimed entry with the channel as it is now (null when the channel is gone). */
export interface ClaimedDelivery {
  entry: OutboxEntry;
  channel: WatchChannel | null;
}

export interface DeliveryOutcome {
  seq: number;
  /** The attempt number the claim gave; an outcome for a stale attempt changes nothing. */
  attempt: number;
  status: DeliveryStatus;
  /** For `pending`: when the next attempt is due. */
  nextAttemptAt: number;
  responseCode: number | null;
  latencyMs: number | null;
  error: string | null;
  at: number;
}

export interface NotificationRepository {
  /** The organisation's channels among `channelIds`, whoever owns them. */
  findChannels(orgId: string, channelIds: readonly string[]): Promise<Map<string, WatchChannel>>;
  /** Inserts or replaces the channel (its events included) in one transaction. */
  saveChannel(channel: WatchChannel): Promise<void>;
  /** Removes the channel; its undelivered callbacks are dropped. False when there was none. */
  deleteChannel(orgId: string, channelId: string, at: number): Promise<boolean>;
  /** A user's channels, oldest first, optionally only those listening to `module`. */
  listChannels(input: {
    orgId: string;
    userId: string;
    module: ModuleApiName | null;
    channelId: string | null;
    limit: number;
    offset: number;
  }): Promise<WatchChannel[]>;
  /**
   * Claims up to `limit` pending entries due at `now` whose lease is free, each the oldest
   * pending entry of its channel (so that a channel's callbacks go out in commit order), and
   * counts the attempt: until `leaseUntil` no other claim (this node or another) returns them.
   */
  claimDue(input: { now: number; leaseUntil: number; limit: number }): Promise<ClaimedDelivery[]>;
  /** Records an attempt's outcome, only if the entry is still at that attempt. */
  finish(outcome: DeliveryOutcome): Promise<boolean>;
  /** A channel's most recent entries, newest first (every channel of the org when null). */
  listDeliveries(input: {
    orgId: string | null;
    channelId: string | null;
    limit: number;
  }): Promise<OutboxEntry[]>;
}
