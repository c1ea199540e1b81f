import { BiginError } from '../errors.js';
import { itemError, type JsonAnswer, type Transport } from '../internal/transport.js';
import type { RequestOptions, WriteResult } from '../types.js';

const PATH = '/bigin/v2/actions/watch';
const MAX_PER_CALL = 100;

/** A notification channel to subscribe or replace (Bigin's `actions/watch` body, in camelCase). */
export interface WatchChannelInput {
  /** A big integer of your choosing; Bigin echoes it as a string. */
  channelId: string | number;
  /** `{Module}.{create|edit|delete|all}`, e.g. `Contacts.create`. */
  events: string[];
  notifyUrl: string;
  /** Echoed in every callback (at most 50 characters): check it to trust a callback. */
  token?: string;
  /** At most one day ahead; a Date or ISO-8601 text with an offset. */
  channelExpiry?: Date | string;
  returnAffectedFieldValues?: boolean;
  notifyOnRelatedAction?: boolean;
}

/** One listed channel × module, as Bigin answers it. */
export interface WatchEntry {
  notify_on_related_action: boolean;
  channel_expiry: string;
  return_affected_field_values: boolean;
  resource_uri: string;
  resource_id: string;
  notify_url: string;
  resource_name: string;
  fields: unknown;
  channel_id: string;
  events: string[];
  token: string | null;
}

/** The body Bigin POSTs to `notify_url`. */
export interface WatchCallback {
  server_time: number;
  query_params: Record<string, string>;
  module: string;
  resource_uri: string;
  ids: string[];
  affected_fields: Array<Record<string, string[]>>;
  affected_values?: Array<{ record_id: string; values: Record<string, unknown> }>;
  operation: 'insert' | 'update' | 'delete';
  channel_id: string;
  token: string | null;
}

function wire(c: WatchChannelInput): Record<string, unknown> {
  const expiry =
    c.channelExpiry instanceof Date
      ? c.channelExpiry.toISOString().replace(/\.\d{3}Z$/, '+00:00')
      : c.channelExpiry;
  return {
    channel_id: String(c.channelId),
    events: c.events,
    notify_url: c.notifyUrl,
    ...(c.token !== undefined ? { token: c.token } : {}),
    ...(expiry !== undefined ? { channel_expiry: expiry } : {}),
    ...(c.returnAffectedFieldValues !== undefined
      ? { return_affected_field_values: c.returnAffectedFieldValues }
      : {}),
    ...(c.notifyOnRelatedAction !== undefined ? { notify_on_related_action: c.notifyOnRelatedAction } : {}),
  };
}

function items(answer: JsonAnswer): WriteResult[] {
  const watch = (answer.body as { watch?: unknown } | undefined)?.watch;
  if (!Array.isArray(watch))
    throw new BiginError(`unexpected answer (HTTP ${answer.status}) without watch[]`);
  return watch as WriteResult[];
}

function checkBatch(count: number): void {
  if (count < 1 || count > MAX_PER_CALL)
    throw new RangeError(`Bigin accepts 1 to ${MAX_PER_CALL} channels per call, got ${count}`);
}

/** Notification channels (`/actions/watch`): Bigin POSTs a callback to `notifyUrl` on each change. */
export class Notifications {
  constructor(private readonly transport: Transport) {}

  async #write(
    method: 'POST' | 'PUT' | 'PATCH',
    channels: Record<string, unknown>[],
    options?: RequestOptions,
  ) {
    checkBatch(channels.length);
    // v1 names Pipelines `Deals` in events too (docs/v1.md); callers keep writing v2 names.
    const body =
      this.transport.settings.apiVersion === 'v1'
        ? channels.map((c) =>
            Array.isArray(c.events)
              ? {
                  ...c,
                  events: c.events.map((e: unknown) =>
                    typeof e === 'string' ? e.replace(/^Pipelines\./, 'Deals.') : e,
                  ),
                }
              : c,
          )
        : channels;
    const answer = await this.transport.requestJson(
      { method, path: PATH, json: { watch: body }, perItem: true },
      options,
    );
    const results = items(answer);
    // One channel: its refusal throws its error class, as a single-record write does.
    if (body.length === 1 && results[0]?.status === 'error')
      throw itemError(results[0], answer.status, answer.requestId);
    return results;
  }

  /** Subscribes channels (or adds events to your own existing ones); one result per channel. */
  watch(channels: WatchChannelInput | WatchChannelInput[], options?: RequestOptions): Promise<WriteResult[]> {
    return this.#write('POST', (Array.isArray(channels) ? channels : [channels]).map(wire), options);
  }

  /** Replaces your existing channels (up to 100 per call). */
  update(
    channels: WatchChannelInput | WatchChannelInput[],
    options?: RequestOptions,
  ): Promise<WriteResult[]> {
    return this.#write('PUT', (Array.isArray(channels) ? channels : [channels]).map(wire), options);
  }

  /** Stops some events of a channel (a channel left without events is removed). */
  removeEvents(
    channelId: string | number,
    events: string[],
    options?: RequestOptions,
  ): Promise<WriteResult[]> {
    return this.#write('PATCH', [{ channel_id: String(channelId), events, _delete_events: true }], options);
  }

  /** Your channels, one entry per channel and module; [] when there are none. */
  async list(
    params: { module?: string; channelId?: string | number; page?: number; perPage?: number } = {},
    options?: RequestOptions,
  ): Promise<WatchEntry[]> {
    const answer = await this.transport.requestJson(
      {
        method: 'GET',
        path: PATH,
        query: {
          module: params.module,
          channel_id: params.channelId === undefined ? undefined : String(params.channelId),
          page: params.page,
          per_page: params.perPage,
        },
      },
      options,
    );
    if (answer.status === 204) return [];
    return ((answer.body as { watch?: WatchEntry[] } | undefined)?.watch ?? []) as WatchEntry[];
  }

  /** Unsubscribes channels; one result per channel and module. */
  async unwatch(channelIds: Array<string | number>, options?: RequestOptions): Promise<WriteResult[]> {
    checkBatch(channelIds.length);
    const answer = await this.transport.requestJson(
      {
        method: 'DELETE',
        path: PATH,
        query: { channel_ids: channelIds.map(String).join(',') },
        perItem: true,
      },
      options,
    );
    return items(answer);
  }
}
