import { findModule } from '@bigin-attachments/contract';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../domain/clock.js';
import { errors } from '../../domain/errors.js';
import type { MetadataStore } from '../../domain/ports.js';
import { findRelatedList, RELATED_NAMES } from '../../domain/related/related-lists.js';
import {
  delinkRelatedRecords,
  getRelatedRecords,
  linkRelatedRecords,
} from '../../domain/related/related-records.js';
import type { ApiVersion } from '../api-version.js';
import { sendJson } from '../wire.js';
import type { createRouteTable } from './route-table.js';

type Route = ReturnType<typeof createRouteTable>;

interface RelatedParams {
  module: string;
  recordId: string;
  related: string;
  relatedId?: string;
}

export interface RelatedRouteDeps {
  metadata: MetadataStore;
  clock: Clock;
  readJsonBody(request: FastifyRequest): Promise<unknown>;
  queryOf(request: FastifyRequest): Record<string, string | undefined>;
  sendBatch(reply: FastifyReply, answer: { status: number; results: unknown[] }): FastifyReply;
  /** The installation's page-token signing key (page-token.ts). */
  pageTokenKey(): Promise<Uint8Array>;
}

/**
 * Related records (docs/related-records.md): GET, PUT (link) and DELETE (delink) on
 * `/{module}/{id}/{related}` and PUT/DELETE on `…/{related}/{relatedId}`. A name that is no
 * related list of any module is a URL that does not exist (D4 row 1), answered before the method
 * and the token; Notes has its own route (it also takes POST).
 */
export function registerRelatedRoutes(route: Route, version: ApiVersion, deps: RelatedRouteDeps): void {
  const prefix = version.prefix;
  const m = deps.metadata;
  const domainDeps = {
    recordData: m.recordData,
    roles: m.roles,
    recordLinks: m.recordLinks,
    clock: deps.clock,
    directory: m.directory,
    catalog: m.attachmentCatalog,
    tags: m.tags,
    photos: m.recordPhotos,
    pageTokenKey: deps.pageTokenKey,
  };
  const checkPath = (request: FastifyRequest) => {
    const { module, related, relatedId } = request.params as RelatedParams;
    if (!RELATED_NAMES.has(related) || related === 'Notes') throw errors.urlPattern();
    if (relatedId !== undefined && !/^[0-9]+$/.test(relatedId)) throw errors.urlPattern();
    const parent = findModule(module);
    if (!parent) return; // the module check answers it, after the token
    const def = findRelatedList(parent.apiName, related);
    if (!def) throw errors.urlPattern();
    // Lookup lists are read-only: the path exists, the method does not (row 2, before the token).
    if (def.kind === 'lookup' && request.method !== 'GET') throw errors.requestMethod();
  };
  const params = (request: FastifyRequest) => request.params as RelatedParams;
  const link = async (
    request: FastifyRequest,
    reply: FastifyReply,
    principal: Parameters<Parameters<Route>[1][string]>[2],
  ) =>
    deps.sendBatch(
      reply,
      await linkRelatedRecords(domainDeps, principal, params(request), () => deps.readJsonBody(request)),
    );
  const delink = async (
    request: FastifyRequest,
    reply: FastifyReply,
    principal: Parameters<Parameters<Route>[1][string]>[2],
  ) =>
    deps.sendBatch(
      reply,
      await delinkRelatedRecords(domainDeps, principal, params(request), deps.queryOf(request).ids),
    );

  route(
    `${prefix}/:module/:recordId/:related`,
    {
      GET: async (request, reply, principal) => {
        const page = await getRelatedRecords(domainDeps, principal, params(request), deps.queryOf(request));
        if (page === null) {
          reply.request.outcome = 'related none';
          return reply.code(204).send();
        }
        return sendJson(reply, 200, JSON.stringify({ ...page, info: version.listInfo(page.info) }));
      },
      PUT: link,
      DELETE: delink,
    },
    checkPath,
  );
  route(`${prefix}/:module/:recordId/:related/:relatedId`, { PUT: link, DELETE: delink }, checkPath);
}
