import type { FastifyInstance, FastifyReply } from 'fastify';
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

function send(reply: FastifyReply, answer: WatchAnswer): FastifyReply {
  if (answer.refusals.length) reply.request.outcome = `watch ${answer.status}: ${answer.refusals.join('; ')}`;
  return sendJson(reply, answer.status, JSON.stringify(answer.body));
}

/** `/bigin/v2/actions/watch` (docs/notifications.md): one path, five methods, D4's order of checks. */
export function registerWatchRoutes(app: FastifyInstance, deps: WatchRouteDeps): void {
  const domainDeps: WatchDeps = {
    notifications: deps.metadata.notifications,
    seed: deps.metadata.seed,
    clock: deps.clock,
    defaultExpiryMs: deps.settings.defaultExpiryMs,
    checkNotifyUrl: (url) => deps.guard.check(url),
  };
  const route = createRouteTable(app, {
    auth: deps.metadata.auth,
    clock: deps.clock,
    resolveDataCenter: deps.resolveDataCenter,
  });
  route('/bigin/v2/actions/watch', {
    POST: async (request, reply, principal) =>
      send(reply, await saveChannels(domainDeps, principal, 'subscribe', () => readJsonBody(request))),
    PUT: async (request, reply, principal) =>
      send(reply, await saveChannels(domainDeps, principal, 'replace', () => readJsonBody(request))),
    PATCH: async (request, reply, principal) =>
      send(reply, await dropEvents(domainDeps, principal, () => readJsonBody(request))),
    DELETE: async (request, reply, principal) =>
      send(reply, await unsubscribe(domainDeps, principal, queryOf(request).channel_ids)),
    GET: async (request, reply, principal) => {
      const body = await listChannels(domainDeps, principal, queryOf(request));
      if (body === null) {
        request.outcome = 'watch none';
        return reply.code(204).send();
      }
      return sendJson(reply, 200, JSON.stringify(body));
    },
  });
}
