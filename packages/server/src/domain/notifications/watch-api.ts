import { findModule, type ItemResult } from '@bigin-attachments/contract';
import type { Clock } from '../clock.js';
import type { Principal } from '../model.js';
import { moduleAccessRefusal } from '../permissions.js';
import type { NotificationRepository, SeedRepository, WatchChannel, WatchEvent } from '../ports.js';
import { formatTime } from '../time.js';
import {
  authorizeWatch,
  eventNames,
  MAX_CHANNELS_PER_CALL,
  MAX_TOKEN_LENGTH,
  moduleResource,
  modulesOf,
  parseChannelId,
  parseEvents,
  parseExpiry,
  watchErrors,
  watchItem,
  watchItems,
} from './watch-rules.js';

export interface WatchDeps {
  notifications: NotificationRepository;
  seed: SeedRepository;
  clock: Clock;
  /** Lifetime of a channel subscribed without `channel_expiry`. */
  defaultExpiryMs: number;
  /** The SSRF rule (D12), injected: the domain does no network look-ups itself. */
  checkNotifyUrl(url: string): Promise<{ ok: true } | { ok: false; reason: string }>;
}

export interface WatchAnswer {
  status: number;
  body: unknown;
  /** Why items were refused, for the request log line (never sent). */
  refusals: string[];
}

type Spec = Omit<WatchChannel, 'orgId' | 'userId' | 'dataCenter' | 'createdAt'>;
type Checked = { ok: true; spec: Spec } | { ok: false; result: ItemResult; why: string };

/** All items succeeded → `allOk` (however many); some → 207; none → 400. */
function watchStatus(results: readonly ItemResult[], allOk: number): number {
  const ok = results.filter((r) => r.status === 'success').length;
  return ok === results.length ? allOk : ok === 0 ? 400 : 207;
}

const SUBSCRIBED = 'Successfully subscribed for actions-watch of the given module';

async function checkChannel(
  deps: WatchDeps,
  principal: Principal,
  raw: unknown,
  i: number,
): Promise<Checked> {
  const fail = (result: ItemResult, why: string): Checked => ({ ok: false, result, why });
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return fail(watchItem.invalid('watch', i), 'item not an object');
  const o = raw as Record<string, unknown>;
  for (const key of ['channel_id', 'events', 'notify_url'])
    if (o[key] === undefined || o[key] === null) return fail(watchItem.mandatory(key, i), `${key} missing`);
  const channelId = parseChannelId(o.channel_id);
  if (!channelId) return fail(watchItem.invalid('channel_id', i), 'channel_id not a big integer');
  const events = parseEvents(o.events);
  if (!events) return fail(watchItem.invalid('events', i), 'events not {Module}.{operation}');
  for (const module of modulesOf(events))
    if (moduleAccessRefusal(principal, module)) return fail(watchItem.noPermission('events', i), module);
  if (typeof o.notify_url !== 'string')
    return fail(watchItem.invalid('notify_url', i), 'notify_url not text');
  const verdict = await deps.checkNotifyUrl(o.notify_url);
  if (!verdict.ok) return fail(watchItem.invalid('notify_url', i), `notify_url: ${verdict.reason}`);
  if (
    o.token !== undefined &&
    o.token !== null &&
    (typeof o.token !== 'string' || o.token.length > MAX_TOKEN_LENGTH)
  )
    return fail(watchItem.invalid('token', i), 'token over 50 characters');
  const now = deps.clock.now();
  let expiresAt = now + deps.defaultExpiryMs;
  if (o.channel_expiry !== undefined && o.channel_expiry !== null) {
    const at = parseExpiry(o.channel_expiry, now);
    if (at === null) return fail(watchItem.invalid('channel_expiry', i), 'channel_expiry not within a day');
    expiresAt = at;
  }
  for (const key of ['return_affected_field_values', 'notify_on_related_action'])
    if (o[key] !== undefined && o[key] !== null && typeof o[key] !== 'boolean')
      return fail(watchItem.invalid(key, i), `${key} not a boolean`);
  return {
    ok: true,
    spec: {
      channelId,
      events,
      notifyUrl: o.notify_url,
      token: typeof o.token === 'string' ? o.token : null,
      expiresAt,
      returnAffectedFieldValues: o.return_affected_field_values === true,
      notifyOnRelatedAction: o.notify_on_related_action === true,
    },
  };
}

async function success(deps: WatchDeps, principal: Principal, c: WatchChannel, message: string) {
  const org = await deps.seed.organization(principal.orgId);
  const prefix = org?.idPrefix ?? '0000000';
  return {
    code: 'SUCCESS',
    details: {
      events: modulesOf(c.events).map((m) => {
        const r = moduleResource(c.dataCenter, prefix, m);
        return {
          channel_expiry: formatTime(c.expiresAt),
          resource_uri: r.resource_uri,
          resource_id: r.resource_id,
          resource_name: r.resource_name,
          channel_id: c.channelId,
        };
      }),
    },
    message,
    status: 'success' as const,
  };
}

/**
 * POST (subscribe: a new channel, or more events on one's own channel) and PUT (replace one's own
 * existing channel) on /actions/watch: per-channel results, as the records API's (D1).
 */
export async function saveChannels(
  deps: WatchDeps,
  principal: Principal,
  mode: 'subscribe' | 'replace',
  readBody: () => Promise<unknown>,
): Promise<WatchAnswer> {
  authorizeWatch(principal, mode === 'subscribe' ? 'CREATE' : 'UPDATE');
  const items = watchItems(await readBody());
  const results: ItemResult[] = [];
  const refusals: string[] = [];
  for (const [i, raw] of items.entries()) {
    const checked = await checkChannel(deps, principal, raw, i);
    if (!checked.ok) {
      results.push(checked.result);
      refusals.push(checked.why);
      continue;
    }
    const { spec } = checked;
    const existing = (await deps.notifications.findChannels(principal.orgId, [spec.channelId])).get(
      spec.channelId,
    );
    const foreign = existing !== undefined && existing.userId !== principal.userId;
    if (foreign || (mode === 'replace' && !existing)) {
      results.push(watchItem.invalid('channel_id', i));
      refusals.push(foreign ? 'channel of another user' : 'no such channel');
      continue;
    }
    const events: WatchEvent[] =
      mode === 'subscribe' && existing
        ? [...existing.events, ...spec.events.filter((e) => !existing.events.some((x) => sameEvent(x, e)))]
        : spec.events;
    const channel: WatchChannel = {
      ...spec,
      events,
      orgId: principal.orgId,
      userId: principal.userId,
      dataCenter: principal.dataCenter,
      createdAt: existing?.createdAt ?? deps.clock.now(),
    };
    await deps.notifications.saveChannel(channel);
    results.push(await success(deps, principal, channel, SUBSCRIBED));
  }
  return {
    status: watchStatus(results, mode === 'subscribe' ? 201 : 200),
    body: { watch: results },
    refusals,
  };
}

const sameEvent = (a: WatchEvent, b: WatchEvent) => a.module === b.module && a.operation === b.operation;

/**
 * PATCH /actions/watch: with `_delete_events: true`, drops the listed events from one's own
 * channels (a channel left without events is removed); without it nothing changes.
 */
export async function dropEvents(
  deps: WatchDeps,
  principal: Principal,
  readBody: () => Promise<unknown>,
): Promise<WatchAnswer> {
  authorizeWatch(principal, 'UPDATE');
  const items = watchItems(await readBody());
  const results: ItemResult[] = [];
  const refusals: string[] = [];
  for (const [i, raw] of items.entries()) {
    const o = (typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? raw : {}) as Record<
      string,
      unknown
    >;
    const missing = ['channel_id', 'events'].find((k) => o[k] === undefined || o[k] === null);
    const channelId = parseChannelId(o.channel_id);
    const events = parseEvents(o.events);
    const bad = missing
      ? watchItem.mandatory(missing, i)
      : !channelId
        ? watchItem.invalid('channel_id', i)
        : !events
          ? watchItem.invalid('events', i)
          : o._delete_events !== undefined && typeof o._delete_events !== 'boolean'
            ? watchItem.invalid('_delete_events', i)
            : null;
    const existing = channelId
      ? (await deps.notifications.findChannels(principal.orgId, [channelId])).get(channelId)
      : undefined;
    if (bad || !existing || existing.userId !== principal.userId) {
      results.push(bad ?? watchItem.invalid('channel_id', i));
      refusals.push(bad ? 'bad item' : 'no such channel');
      continue;
    }
    const remaining =
      o._delete_events === true
        ? existing.events.filter((e) => !events!.some((x) => sameEvent(x, e)))
        : existing.events;
    const channel = { ...existing, events: remaining };
    if (remaining.length === 0)
      await deps.notifications.deleteChannel(principal.orgId, existing.channelId, deps.clock.now());
    else if (remaining.length !== existing.events.length) await deps.notifications.saveChannel(channel);
    results.push(await success(deps, principal, channel, SUBSCRIBED));
  }
  return { status: watchStatus(results, 200), body: { watch: results }, refusals };
}

/** GET /actions/watch: one entry per channel and module, the caller's channels only; null = 204. */
export async function listChannels(
  deps: WatchDeps,
  principal: Principal,
  query: Record<string, string | undefined>,
): Promise<unknown | null> {
  authorizeWatch(principal, 'READ');
  const module = query.module === undefined ? null : findModule(query.module)?.apiName;
  if (module === undefined) throw watchErrors.invalidParam('module');
  const channelId = query.channel_id === undefined ? null : parseChannelId(query.channel_id);
  if (channelId === null && query.channel_id !== undefined) throw watchErrors.invalidParam('channel_id');
  const page = wholeNumber(query.page, 1, 'page');
  const perPage = Math.min(wholeNumber(query.per_page, 200, 'per_page'), 200);
  const channels = await deps.notifications.listChannels({
    orgId: principal.orgId,
    userId: principal.userId,
    module,
    channelId,
    limit: 10_000,
    offset: 0,
  });
  const org = await deps.seed.organization(principal.orgId);
  const entries = channels.flatMap((c) =>
    modulesOf(c.events)
      .filter((m) => !module || m === module)
      .map((m) => {
        const r = moduleResource(c.dataCenter, org?.idPrefix ?? '0000000', m);
        return {
          notify_on_related_action: c.notifyOnRelatedAction,
          channel_expiry: formatTime(c.expiresAt),
          return_affected_field_values: c.returnAffectedFieldValues,
          resource_uri: r.resource_uri,
          resource_id: r.resource_id,
          notify_url: c.notifyUrl,
          resource_name: r.resource_name,
          fields: null,
          channel_id: c.channelId,
          events: eventNames(c.events, m),
          token: c.token,
        };
      }),
  );
  const slice = entries.slice((page - 1) * perPage, page * perPage);
  if (slice.length === 0) return null;
  return {
    watch: slice,
    info: { per_page: perPage, count: slice.length, page, more_records: entries.length > page * perPage },
  };
}

function wholeNumber(v: string | undefined, fallback: number, name: string): number {
  if (v === undefined) return fallback;
  if (!/^[1-9][0-9]{0,5}$/.test(v)) throw watchErrors.invalidParam(name);
  return Number(v);
}

/** DELETE /actions/watch?channel_ids=…: one item per removed channel and module. */
export async function unsubscribe(
  deps: WatchDeps,
  principal: Principal,
  channelIdsParam: string | undefined,
): Promise<WatchAnswer> {
  authorizeWatch(principal, 'DELETE');
  const ids = (channelIdsParam ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (ids.length === 0) throw watchErrors.paramMissing('channel_ids');
  if (ids.length > MAX_CHANNELS_PER_CALL) throw watchErrors.tooManyIds();
  const found = await deps.notifications.findChannels(principal.orgId, ids);
  const org = await deps.seed.organization(principal.orgId);
  const results: ItemResult[] = [];
  const refusals: string[] = [];
  for (const id of ids) {
    const c = found.get(id);
    if (
      !c ||
      c.userId !== principal.userId ||
      !(await deps.notifications.deleteChannel(c.orgId, id, deps.clock.now()))
    ) {
      results.push(watchItem.unknownChannel(id));
      refusals.push('no such channel');
      continue;
    }
    for (const m of modulesOf(c.events)) {
      const r = moduleResource(c.dataCenter, org?.idPrefix ?? '0000000', m);
      results.push({
        code: 'SUCCESS',
        details: { resource_uri: r.resource_uri, resource_id: r.resource_id, channel_id: id },
        message: 'Successfully un-subscribed from actions-watch',
        status: 'success',
      });
    }
  }
  return { status: watchStatus(results, 200), body: { watch: results }, refusals };
}
