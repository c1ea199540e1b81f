import type { FastifyReply } from 'fastify';
import { compile, type JournalEntry, type JournalFilter } from '../../domain/journal/request-journal.js';
import { type AdminRouteModule, sendAdminError, sendAdminJson } from './admin-wire.js';

const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;

type Query = Record<string, string | undefined>;

function time(value: string | undefined): number | undefined | null {
  if (value === undefined) return undefined;
  const n = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isFinite(n) ? n : null;
}

/** The filter of a journal query, or a message saying which parameter is wrong. */
export function journalFilter(q: Query): JournalFilter | string {
  const filter: JournalFilter = {};
  if (q.org) filter.orgId = q.org;
  if (q.path) filter.path = q.path;
  if (q.status) {
    if (!/^([1-5]xx|[1-5]\d\d)$/i.test(q.status)) return 'status must be a status (404) or a class (4xx)';
    filter.status = q.status;
  }
  if (q.code) filter.code = q.code;
  if (q.method) filter.method = q.method;
  if (q.rule) filter.rule = q.rule;
  if (q.faulted !== undefined) filter.faulted = q.faulted === 'true';
  const from = time(q.from);
  const to = time(q.to);
  if (from === null || to === null) return 'from and to must be ISO-8601 times or epoch milliseconds';
  if (from !== undefined) filter.from = from;
  if (to !== undefined) filter.to = to;
  if (q.before !== undefined) {
    if (!/^\d+$/.test(q.before)) return 'before must be the `next` of a previous page';
    filter.before = Number(q.before);
  }
  return filter;
}

export function entryJson(e: JournalEntry) {
  return { ...e, at: new Date(e.at).toISOString() };
}

/**
 * `GET /_admin/journal` (newest first, paged by `next`), `GET /_admin/journal/stream` (server-sent
 * events, one `request` event per finished request) and `DELETE /_admin/journal`.
 */
export const registerJournalRoutes: AdminRouteModule = (admin, deps) => {
  const journal = deps.instruments.journal;
  const streams = new Set<{ end(): void }>();
  // Streams never go idle, so shutting down would wait for them forever.
  admin.addHook('onClose', async () => {
    for (const res of streams) res.end();
  });
  const off = (reply: FastifyReply) =>
    sendAdminError(reply, 'ADMIN_NOT_FOUND', 'the journal is off on this server (JOURNAL=false)');

  admin.get('/journal', async (request, reply) => {
    request.outcome = 'admin journal';
    if (!journal) return off(reply);
    const q = request.query as Query;
    const filter = journalFilter(q);
    if (typeof filter === 'string') return sendAdminError(reply, 'ADMIN_INVALID_REQUEST', filter);
    const limit = q.limit === undefined ? DEFAULT_PAGE : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE)
      return sendAdminError(reply, 'ADMIN_INVALID_REQUEST', `limit must be 1–${MAX_PAGE}`);
    const page = journal.query(filter, limit);
    return sendAdminJson(reply, 200, { entries: page.entries.map(entryJson), next: page.next });
  });

  admin.get('/journal/stream', async (request, reply) => {
    request.outcome = 'admin journal stream';
    if (!journal) return off(reply);
    const filter = journalFilter(request.query as Query);
    if (typeof filter === 'string') return sendAdminError(reply, 'ADMIN_INVALID_REQUEST', filter);
    const match = compile(filter);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    // A comment first, so that a client knows the subscription is live before any request.
    res.write(': journal\n\n');
    const unsubscribe = journal.subscribe((entry) => {
      if (match(entry))
        res.write(`id: ${entry.seq}\nevent: request\ndata: ${JSON.stringify(entryJson(entry))}\n\n`);
    });
    streams.add(res);
    request.raw.socket.once('close', () => {
      unsubscribe();
      streams.delete(res);
    });
  });

  admin.delete('/journal', async (request, reply) => {
    request.outcome = 'admin journal clear';
    if (!journal) return off(reply);
    journal.clear();
    return sendAdminJson(reply, 200, { cleared: true });
  });
};
