import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../domain/clock.js';
import { AppError, errors } from '../../domain/errors.js';
import type { MetadataStore } from '../../domain/ports.js';
import { upsertRecords } from '../../domain/records/upsert-records.js';
import { searchRecords } from '../../domain/search/search-records.js';
import type { ApiVersion } from '../api-version.js';
import { sendJson } from '../wire.js';
import type { createRouteTable } from './route-table.js';

/**
 * The words Bigin serves under `/{version}/{module}/` where a record id would otherwise go
 * (decision D10): each is served here, or answers its documented error; never "get one record".
 * `actions/…` words are listed separately because they take a second segment; `add_tags` and
 * `remove_tags` have routes of their own (routes/tags.ts), which take precedence over `:action`.
 */
export const MODULE_WORDS = ['search', 'upsert', 'deleted', 'actions'] as const;
export const MODULE_ACTIONS = ['mass_update', 'count', 'change_owner'] as const;

export interface WordRouteDeps {
  metadata: MetadataStore;
  clock: Clock;
  readJsonBody(request: FastifyRequest): Promise<unknown>;
  queryOf(request: FastifyRequest): Record<string, string | undefined>;
  sendBatch(reply: FastifyReply, answer: { status: number; results: unknown[] }): FastifyReply;
  /** The installation's page-token signing key (page-token.ts). */
  pageTokenKey(): Promise<Uint8Array>;
}

type Route = ReturnType<typeof createRouteTable>;

const notHere = (what: string) => () => {
  throw new AppError('NOT_SUPPORTED_HERE', `words not-implemented: ${what}`);
};

/**
 * Registers the module words under the version's prefix. v1 differences (docs/v1.md): search
 * needs one module scope, not the v2 pair, and its `info` has v1's keys.
 */
export function registerModuleWords(route: Route, version: ApiVersion, deps: WordRouteDeps): void {
  const prefix = version.prefix;
  const m = deps.metadata;
  const searchDeps = {
    recordData: m.recordData,
    roles: m.roles,
    recordSearch: m.recordSearch,
    clock: deps.clock,
    directory: m.directory,
    catalog: m.attachmentCatalog,
    tags: m.tags,
    photos: m.recordPhotos,
  };
  const writeDeps = { ...searchDeps, seed: m.seed };
  const moduleOf = (request: FastifyRequest) => (request.params as { module: string }).module;

  route(`${prefix}/:module/search`, {
    GET: async (request, reply, principal) => {
      const page = await searchRecords(searchDeps, principal, moduleOf(request), deps.queryOf(request), {
        singleScope: version.searchSingleScope,
      });
      if (page === null) {
        reply.request.outcome = 'search none';
        return reply.code(204).send();
      }
      return sendJson(reply, 200, JSON.stringify({ ...page, info: version.listInfo(page.info) }));
    },
  });
  route(`${prefix}/:module/upsert`, {
    POST: async (request, reply, principal) =>
      deps.sendBatch(
        reply,
        await upsertRecords(writeDeps, principal, moduleOf(request), () => deps.readJsonBody(request)),
      ),
  });
  route(`${prefix}/:module/deleted`, { GET: notHere('deleted') });
  route(
    `${prefix}/:module/actions/:action`,
    {
      GET: notHere('actions'),
      POST: notHere('actions'),
      PUT: notHere('actions'),
      DELETE: notHere('actions'),
    },
    (request) => {
      const { action } = request.params as { action: string };
      if (!(MODULE_ACTIONS as readonly string[]).includes(action)) throw errors.urlPattern();
    },
  );
}

/**
 * A GET whose segment after the module is neither an id (digits) nor a word is a URL Bigin does
 * not have (404), not an empty "no such record" 204. PUT and DELETE keep their per-item answer
 * ("the id given seems to be invalid"), which already says what is wrong.
 */
export function checkRecordSegment(request: FastifyRequest): void {
  const { recordId } = request.params as { recordId: string };
  if (request.method === 'GET' && !/^[0-9]+$/.test(recordId)) throw errors.urlPattern();
}

export type { FastifyInstance };
