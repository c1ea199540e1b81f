import type { FastifyRequest } from 'fastify';
import type { Clock } from '../../domain/clock.js';
import { runCoql } from '../../domain/coql/coql-query.js';
import type { MetadataStore } from '../../domain/ports.js';
import type { ApiVersion } from '../api-version.js';
import { sendJson, sendNoContent } from '../wire.js';
import type { createRouteTable } from './route-table.js';

export interface CoqlRouteDeps {
  metadata: MetadataStore;
  clock: Clock;
  readJsonBody(request: FastifyRequest): Promise<unknown>;
}

type Route = ReturnType<typeof createRouteTable>;

/**
 * POST /{version}/coql (docs/coql.md, decision D21), on the versions whose descriptor serves it
 * (v2: Bigin documents COQL on v2 only). A static path, so it wins over `/:module`.
 */
export function registerCoqlRoutes(route: Route, version: ApiVersion, deps: CoqlRouteDeps): void {
  if (!version.coql) return;
  const m = deps.metadata;
  const coqlDeps = {
    recordData: m.recordData,
    roles: m.roles,
    recordSearch: m.recordSearch,
    clock: deps.clock,
    directory: m.directory,
    catalog: m.attachmentCatalog,
    tags: m.tags,
    photos: m.recordPhotos,
  };
  route(`${version.prefix}/coql`, {
    POST: async (request, reply, principal) => {
      const answer = await runCoql(coqlDeps, principal, () => deps.readJsonBody(request));
      if (answer === null) {
        reply.request.outcome = 'coql none';
        return sendNoContent(reply);
      }
      return sendJson(reply, 200, answer);
    },
  });
}
