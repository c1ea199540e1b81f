import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../domain/clock.js';
import { getOrg, listProfiles, listRoles } from '../../domain/directory/org-profiles-roles.js';
import {
  addUser,
  deleteUser,
  type UserWriteAnswer,
  updateUsers,
} from '../../domain/directory/user-writes.js';
import { getUser, listUsers } from '../../domain/directory/users.js';
import { listFields, listLayouts, listRelatedLists } from '../../domain/metadata/settings-fields.js';
import { getModule, listModules } from '../../domain/metadata/settings-modules.js';
import type { MetadataStore } from '../../domain/ports.js';
import { API_VERSIONS, type ApiVersion, V2 } from '../api-version.js';
import type { DataCenterResolver } from '../app.js';
import { sendJson, sendNoContent } from '../wire.js';
import { readJsonBody } from './records.js';
import { createRouteTable } from './route-table.js';

export interface DirectoryRouteDeps {
  metadata: MetadataStore;
  clock: Clock;
  resolveDataCenter: DataCenterResolver;
}

type Params = Record<string, string>;

function queryOf(request: FastifyRequest): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries((request.query ?? {}) as Record<string, unknown>))
    out[k] = Array.isArray(v) ? String(v[0]) : typeof v === 'string' ? v : undefined;
  return out;
}

/** 200 with the body, or Bigin's empty 204 when there is nothing to show. */
function found(reply: FastifyReply, body: unknown): FastifyReply {
  if (body === null) {
    reply.request.outcome = 'directory none';
    return sendNoContent(reply);
  }
  return sendJson(reply, 200, body);
}

/** A user write's per-item answer (D24); anything but full success is named in the log line. */
function written(reply: FastifyReply, answer: UserWriteAnswer): FastifyReply {
  if (answer.status >= 202) reply.request.outcome = `users batch ${answer.status}`;
  return sendJson(reply, answer.status, answer.body);
}

/**
 * Users, organisation, profiles and roles; module, field, layout and related-list metadata
 * (docs/directory-and-metadata.md). Static paths, so they take precedence over `/{module}/…`;
 * each registered for every method, so another method answers INVALID_REQUEST_METHOD.
 */
export function registerDirectoryRoutes(app: FastifyInstance, deps: DirectoryRouteDeps): void {
  const routeFor = (version: ApiVersion) =>
    createRouteTable(app, {
      auth: deps.metadata.auth,
      clock: deps.clock,
      resolveDataCenter: deps.resolveDataCenter,
      version,
    });
  const route = routeFor(V2);
  const d = {
    directory: deps.metadata.directory,
    clock: deps.clock,
    catalog: deps.metadata.attachmentCatalog,
    photos: deps.metadata.recordPhotos,
  };
  const w = { directory: deps.metadata.directory, clock: deps.clock, seed: deps.metadata.seed };
  const params = (request: FastifyRequest) => request.params as Params;

  // Users and the organisation on both versions (v1: Pipedream's `GET /bigin/v1/users`); the
  // settings stay v2 only, their v1 shapes being unknown (docs/v1.md).
  for (const version of API_VERSIONS) {
    const versioned = routeFor(version);
    versioned(`${version.prefix}/users`, {
      GET: async (request, reply, principal) => found(reply, await listUsers(d, principal, queryOf(request))),
      POST: async (request, reply, principal) =>
        written(reply, await addUser(w, principal, () => readJsonBody(request))),
      PUT: async (request, reply, principal) =>
        written(reply, await updateUsers(w, principal, () => readJsonBody(request), null)),
    });
    versioned(`${version.prefix}/users/:userId`, {
      GET: async (request, reply, principal) =>
        found(reply, await getUser(d, principal, params(request).userId!)),
      PUT: async (request, reply, principal) =>
        written(reply, await updateUsers(w, principal, () => readJsonBody(request), params(request).userId!)),
      DELETE: async (request, reply, principal) =>
        written(reply, await deleteUser(w, principal, params(request).userId!)),
    });
    versioned(`${version.prefix}/org`, {
      GET: async (_request, reply, principal) => found(reply, await getOrg(d, principal)),
    });
  }
  route('/bigin/v2/settings/profiles', {
    GET: async (_request, reply, principal) => found(reply, await listProfiles(d, principal)),
  });
  route('/bigin/v2/settings/profiles/:id', {
    GET: async (request, reply, principal) =>
      found(reply, await listProfiles(d, principal, params(request).id)),
  });
  route('/bigin/v2/settings/roles', {
    GET: async (_request, reply, principal) => found(reply, await listRoles(d, principal)),
  });
  route('/bigin/v2/settings/roles/:id', {
    GET: async (request, reply, principal) => found(reply, await listRoles(d, principal, params(request).id)),
  });
  route('/bigin/v2/settings/modules', {
    GET: async (_request, reply, principal) => found(reply, await listModules(d, principal)),
  });
  route('/bigin/v2/settings/modules/:apiName', {
    GET: async (request, reply, principal) =>
      found(reply, await getModule(d, principal, params(request).apiName!)),
  });
  route('/bigin/v2/settings/fields', {
    GET: async (request, reply, principal) => found(reply, await listFields(d, principal, queryOf(request))),
  });
  route('/bigin/v2/settings/fields/:id', {
    GET: async (request, reply, principal) =>
      found(reply, await listFields(d, principal, queryOf(request), params(request).id)),
  });
  route('/bigin/v2/settings/layouts', {
    GET: async (request, reply, principal) => found(reply, await listLayouts(d, principal, queryOf(request))),
  });
  route('/bigin/v2/settings/layouts/:id', {
    GET: async (request, reply, principal) =>
      found(reply, await listLayouts(d, principal, queryOf(request), params(request).id)),
  });
  route('/bigin/v2/settings/related_lists', {
    GET: async (request, reply, principal) =>
      found(reply, await listRelatedLists(d, principal, queryOf(request))),
  });
}
