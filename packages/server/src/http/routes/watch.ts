import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { NotificationSettings } from '../../config/schema.js';
import type { Clock } from '../../domain/clock.js';
import {
  dropEvents,
  listChannels,
  saveChannels,
  unsubscribe,
  type WatchAnswer,
  type WatchDeps,
} from '../../domain/notifications/watch-api.js';
import type { MetadataStore } from '../../domain/ports.js';
import type { NotifyUrlGuard } from '../../notifications/notify-url-guard.js';
import { API_VERSIONS, type ApiVersion } from '../api-version.js';
import type { DataCenterResolver } from '../app.js';
import { sendJson } from '../wire.js';
import { queryOf, readJsonBody } from './records.js';
import { createRouteTable } from './route-table.js';

export interface WatchRouteDeps {
  metadata: MetadataStore;
  clock: Clock;
  resolveDataCenter: DataCenterResolver;
  settings: NotificationSettings;
  guard: NotifyUrlGuard;
}

function send(reply: FastifyReply, answer: WatchAnswer, version: ApiVersion): FastifyReply {
  if (answer.refusals.length) reply.request.outcome = `watch ${answer.status}: ${answer.refusals.join('; ')}`;
  return sendJson(reply, answer.status, JSON.stringify(publicWatchBody(version, answer.body)));
}

/** `{Module}.{operation}` with the module as v2 names it; a name the version lacks stays unparsable. */
function v2EventName(version: ApiVersion, event: unknown): unknown {
  if (typeof event !== 'string') return event;
  const dot = event.indexOf('.');
  if (dot < 0) return event;
  const name = version.moduleName(event.slice(0, dot));
  return `${name ?? ''}${event.slice(dot)}`;
}

/** A watch body's `events` in v2's module names, so that one parser reads both versions. */
function v2WatchBody(version: ApiVersion, body: unknown): unknown {
  if (version.id === 'v2' || typeof body !== 'object' || body === null) return body;
  const items = (body as { watch?: unknown }).watch;
  if (!Array.isArray(items)) return body;
  return {
    ...body,
    watch: items.map((item) =>
      typeof item === 'object' && item !== null && Array.isArray((item as { events?: unknown }).events)
        ? { ...item, events: (item as { events: unknown[] }).events.map((e) => v2EventName(version, e)) }
        : item,
    ),
  };
}

/** A watch answer with module names as the version writes them (v1: `Deals`). */
function publicWatchBody(version: ApiVersion, body: unknown): unknown {
  if (version.id === 'v2') return body;
  const rename = (value: unknown, key: string): unknown => {
    if (Array.isArray(value)) return value.map((v) => rename(v, key));
    if (typeof value === 'object' && value !== null)
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rename(v, k)]));
    if (typeof value !== 'string') return value;
    if (key === 'resource_name') return version.publicModuleName(value);
    if (key === 'resource_uri') return value.replace(/[^/]+$/, (m) => version.publicModuleName(m));
    if (key === 'events') {
      const dot = value.indexOf('.');
      return dot < 0 ? value : version.publicModuleName(value.slice(0, dot)) + value.slice(dot);
    }
    return value;
  };
  return rename(body, '');
}

/**
 * `/bigin/{v1,v2}/actions/watch` (docs/notifications.md, docs/v1.md): one path, five methods,
 * D4's order of checks; v1 subscribes for an hour by default and names Pipelines `Deals`.
 */
export function registerWatchRoutes(app: FastifyInstance, deps: WatchRouteDeps): void {
  for (const version of API_VERSIONS) {
    const domainDeps: WatchDeps = {
      notifications: deps.metadata.notifications,
      seed: deps.metadata.seed,
      clock: deps.clock,
      defaultExpiryMs: version.watchDefaultExpiryMs(deps.settings.defaultExpiryMs),
      checkNotifyUrl: (url) => deps.guard.check(url),
    };
    const route = createRouteTable(app, {
      auth: deps.metadata.auth,
      clock: deps.clock,
      resolveDataCenter: deps.resolveDataCenter,
      version,
    });
    const body = (request: FastifyRequest) => async () => v2WatchBody(version, await readJsonBody(request));
    route(`${version.prefix}/actions/watch`, {
      POST: async (request, reply, principal) =>
        send(reply, await saveChannels(domainDeps, principal, 'subscribe', body(request)), version),
      PUT: async (request, reply, principal) =>
        send(reply, await saveChannels(domainDeps, principal, 'replace', body(request)), version),
      PATCH: async (request, reply, principal) =>
        send(reply, await dropEvents(domainDeps, principal, body(request)), version),
      DELETE: async (request, reply, principal) =>
        send(reply, await unsubscribe(domainDeps, principal, queryOf(request).channel_ids), version),
      GET: async (request, reply, principal) => {
        const query = queryOf(request);
        const module = query.module === undefined ? undefined : version.moduleName(query.module);
        const body = await listChannels(domainDeps, principal, {
          ...query,
          ...(module === undefined ? {} : { module: module ?? '' }),
        });
        if (body === null) {
          request.outcome = 'watch none';
          return reply.code(204).send();
        }
        return sendJson(reply, 200, JSON.stringify(publicWatchBody(version, body)));
      },
    });
  }
}
