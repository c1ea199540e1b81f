import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../domain/clock.js';
import type { Principal } from '../../domain/model.js';
import type { MetadataStore } from '../../domain/ports.js';
import { addTags, removeTags, type TagActionAnswer } from '../../domain/tags/record-tags.js';
import { createTags, listTags, updateTags } from '../../domain/tags/settings-tags.js';
import { sendJson } from '../wire.js';
import type { createRouteTable } from './route-table.js';

type Route = ReturnType<typeof createRouteTable>;

export interface TagRouteDeps {
  metadata: MetadataStore;
  clock: Clock;
  readJsonBody(request: FastifyRequest): Promise<unknown>;
  queryOf(request: FastifyRequest): Record<string, string | undefined>;
}

/** Whether the request carries a body at all (add_tags and remove_tags read one only then). */
function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  if (length !== undefined) return length !== '0';
  return request.headers['transfer-encoding'] !== undefined;
}

/**
 * An add_tags or remove_tags answer: `data`, one result per record, with Zoho's `wf_scheduler`
 * and `success_count` ([CRM v2] sample of the query-parameter style Bigin uses; docs/tags.md).
 */
function sendTagAnswer(reply: FastifyReply, answer: TagActionAnswer): FastifyReply {
  if (answer.status !== 200) reply.request.outcome = `tags batch ${answer.status}`;
  return sendJson(reply, answer.status, {
    data: answer.results,
    wf_scheduler: 'false',
    success_count: String(answer.results.filter((r) => r.status === 'success').length),
  });
}

/** Tag settings and tag actions on records (docs/tags.md), under `prefix` (`/bigin/v2`). */
export function registerTagRoutes(route: Route, prefix: string, deps: TagRouteDeps): void {
  const m = deps.metadata;
  const d = {
    tags: m.tags,
    photos: m.recordPhotos,
    seed: m.seed,
    clock: deps.clock,
    recordData: m.recordData,
    roles: m.roles,
    catalog: m.attachmentCatalog,
  };
  const tagId = (request: FastifyRequest) => (request.params as { tagId: string }).tagId;
  const write = (
    request: FastifyRequest,
    reply: FastifyReply,
    answer: { status: number; body: { tags: unknown[] } },
  ) => {
    if (answer.status !== 200 && answer.status !== 201) request.outcome = `tags batch ${answer.status}`;
    return sendJson(reply, answer.status, answer.body);
  };

  route(`${prefix}/settings/tags`, {
    GET: async (request, reply, principal) =>
      sendJson(reply, 200, await listTags(d, principal, deps.queryOf(request))),
    POST: async (request, reply, principal) =>
      write(
        request,
        reply,
        await createTags(d, principal, deps.queryOf(request), () => deps.readJsonBody(request)),
      ),
    PUT: async (request, reply, principal) =>
      write(
        request,
        reply,
        await updateTags(d, principal, deps.queryOf(request), () => deps.readJsonBody(request), null),
      ),
  });
  route(`${prefix}/settings/tags/:tagId`, {
    PUT: async (request, reply, principal) =>
      write(
        request,
        reply,
        await updateTags(
          d,
          principal,
          deps.queryOf(request),
          () => deps.readJsonBody(request),
          tagId(request),
        ),
      ),
  });

  const action =
    (run: typeof addTags, single: boolean) =>
    async (request: FastifyRequest, reply: FastifyReply, principal: Principal) => {
      const params = request.params as { module: string; recordId?: string };
      return sendTagAnswer(
        reply,
        await run(
          d,
          principal,
          { module: params.module, recordId: single ? params.recordId! : null },
          deps.queryOf(request),
          hasBody(request) ? () => deps.readJsonBody(request) : null,
        ),
      );
    };
  route(`${prefix}/:module/actions/add_tags`, { POST: action(addTags, false) });
  route(`${prefix}/:module/actions/remove_tags`, { POST: action(removeTags, false) });
  route(`${prefix}/:module/:recordId/actions/add_tags`, { POST: action(addTags, true) });
  route(`${prefix}/:module/:recordId/actions/remove_tags`, { POST: action(removeTags, true) });
}
