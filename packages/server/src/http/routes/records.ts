import { findModule } from '@bigin-attachments/contract';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../domain/clock.js';
import { errors } from '../../domain/errors.js';
import type { MetadataStore } from '../../domain/ports.js';
import { deleteRecords } from '../../domain/records/delete-records.js';
import { getRecord, listRecords, listRelatedRecords, type Query } from '../../domain/records/read-records.js';
import { recordErrors } from '../../domain/records/record-errors.js';
import { RELATED_LIST_NAMES, relatedList } from '../../domain/records/record-modules.js';
import {
  type BatchAnswer,
  insertNotesFor,
  insertRecords,
  updateRecords,
} from '../../domain/records/write-records.js';
import { API_VERSIONS, type ApiVersion } from '../api-version.js';
import type { DataCenterResolver } from '../app.js';
import { jsonDepth, MAX_JSON_DEPTH } from '../json-depth.js';
import { sendJson, sendNoContent } from '../wire.js';
import { registerCoqlRoutes } from './coql.js';
import { registerRelatedRoutes } from './related.js';
import { createRouteTable, type MethodHandler } from './route-table.js';
import { checkRecordSegment, registerModuleWords } from './search.js';
import { registerTagRoutes } from './tags.js';

export interface RecordRouteDeps {
  metadata: MetadataStore;
  clock: Clock;
  resolveDataCenter: DataCenterResolver;
  /** The installation's page-token signing key (domain/records/page-token.ts). */
  pageTokenKey(): Promise<Uint8Array>;
}

/** Largest JSON body accepted: 100 records with long notes fit comfortably. */
export const MAX_JSON_BODY_BYTES = 8 * 1024 * 1024;

interface RecordParams {
  module: string;
  recordId: string;
}

/** Reads and parses a JSON body from the request stream, refusing oversized or malformed ones. */
export async function readJsonBody(request: FastifyRequest): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request.raw) {
    size += (chunk as Buffer).length;
    if (size > MAX_JSON_BODY_BYTES) {
      request.raw.resume();
      throw recordErrors.bodyTooLarge(MAX_JSON_BODY_BYTES);
    }
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw recordErrors.invalidJson('empty');
  if (jsonDepth(text) > MAX_JSON_DEPTH) throw recordErrors.bodyTooDeep(MAX_JSON_DEPTH);
  try {
    return JSON.parse(text);
  } catch {
    throw recordErrors.invalidJson('malformed');
  }
}

/** Query parameters as single strings; a repeated parameter counts by its first value. */
export function queryOf(request: FastifyRequest): Query {
  const out: Query = {};
  for (const [k, v] of Object.entries((request.query ?? {}) as Record<string, unknown>))
    out[k] = Array.isArray(v) ? String(v[0]) : typeof v === 'string' ? v : undefined;
  return out;
}

export function sendBatch(reply: FastifyReply, answer: BatchAnswer): FastifyReply {
  if (answer.status !== 200 && answer.status !== 201)
    reply.request.outcome = `records batch ${answer.status}`;
  return sendJson(reply, answer.status, { data: answer.results });
}

/** Bigin answers a GET that finds nothing with 204 and no body. */
function sendFound(reply: FastifyReply, body: unknown): FastifyReply {
  if (body === null) {
    reply.request.outcome = 'records none';
    return sendNoContent(reply);
  }
  return sendJson(reply, 200, body);
}

/** A list page with its `info` as `version` writes it (v1: 4 keys). */
export function versionedPage<T extends { info: Record<string, unknown> } | null>(
  version: ApiVersion,
  page: T,
): T {
  return page === null ? page : { ...page, info: version.listInfo(page.info) };
}

/**
 * Records routes (docs/records.md), on v2 and v1 (docs/v1.md), in the attachment routes'
 * pattern: each path is registered for every method; an unserved method answers
 * INVALID_REQUEST_METHOD before authentication.
 */
export function registerRecordRoutes(app: FastifyInstance, deps: RecordRouteDeps): void {
  const domainDeps = {
    recordData: deps.metadata.recordData,
    roles: deps.metadata.roles,
    seed: deps.metadata.seed,
    clock: deps.clock,
    directory: deps.metadata.directory,
    catalog: deps.metadata.attachmentCatalog,
    tags: deps.metadata.tags,
    photos: deps.metadata.recordPhotos,
    pageTokenKey: deps.pageTokenKey,
  };

  for (const version of API_VERSIONS) registerVersion(version);

  function registerVersion(version: ApiVersion): void {
    const prefix = version.prefix;
    const route = createRouteTable(app, {
      auth: deps.metadata.auth,
      clock: deps.clock,
      resolveDataCenter: deps.resolveDataCenter,
      version,
    });

    route(`${prefix}/:module`, {
      GET: async (request, reply, principal) => {
        const { module } = request.params as RecordParams;
        return sendFound(
          reply,
          versionedPage(version, await listRecords(domainDeps, principal, module, queryOf(request))),
        );
      },
      POST: async (request, reply, principal) => {
        const { module } = request.params as RecordParams;
        return sendBatch(
          reply,
          await insertRecords(domainDeps, principal, module, () => readJsonBody(request)),
        );
      },
      PUT: async (request, reply, principal) => {
        const { module } = request.params as RecordParams;
        return sendBatch(
          reply,
          await updateRecords(domainDeps, principal, module, () => readJsonBody(request), null),
        );
      },
      DELETE: async (request, reply, principal) => {
        const { module } = request.params as RecordParams;
        const idsParam = queryOf(request).ids;
        return sendBatch(reply, await deleteRecords(domainDeps, principal, module, { idsParam }));
      },
    });

    // Issue 13: the words Bigin serves where a record id would go (search, upsert, …), and the
    // related lists; a segment that is neither a word nor digits is a URL Bigin does not have (D10).
    const wordDeps = {
      metadata: deps.metadata,
      clock: deps.clock,
      readJsonBody,
      queryOf,
      sendBatch,
      pageTokenKey: deps.pageTokenKey,
    };
    registerModuleWords(route, version, wordDeps);
    // Tags on both versions: Bigin's v1 pages document add_tags and remove_tags too (docs/tags.md).
    registerTagRoutes(route, prefix, wordDeps);
    registerRelatedRoutes(route, version, wordDeps);
    registerCoqlRoutes(route, version, wordDeps);

    route(
      `${prefix}/:module/:recordId`,
      {
        GET: async (request, reply, principal) => {
          const { module, recordId } = request.params as RecordParams;
          return sendFound(reply, await getRecord(domainDeps, principal, module, recordId, queryOf(request)));
        },
        PUT: async (request, reply, principal) => {
          const { module, recordId } = request.params as RecordParams;
          return sendBatch(
            reply,
            await updateRecords(domainDeps, principal, module, () => readJsonBody(request), recordId),
          );
        },
        DELETE: async (request, reply, principal) => {
          const { module, recordId } = request.params as RecordParams;
          return sendBatch(reply, await deleteRecords(domainDeps, principal, module, { id: recordId }));
        },
      },
      checkRecordSegment,
    );

    const relatedGet: MethodHandler = async (request, reply, principal) => {
      const params = request.params as RecordParams & { related?: string };
      const input = { ...params, related: params.related ?? 'Notes' };
      return sendFound(
        reply,
        versionedPage(version, await listRelatedRecords(domainDeps, principal, input, queryOf(request))),
      );
    };

    // Related lists. A name that is no related list of the module (notes of a note included) is a
    // URL that does not exist (D4 row 1), answered before the method and the token are looked at.
    const relatedPath = (request: FastifyRequest) => {
      const { module, related = 'Notes' } = request.params as { module: string; related?: string };
      const parent = findModule(module);
      if (!RELATED_LIST_NAMES.has(related) || (parent && !relatedList(parent.apiName, related)))
        throw errors.urlPattern();
    };

    route(
      `${prefix}/:module/:recordId/Notes`,
      {
        GET: relatedGet,
        POST: async (request, reply, principal) => {
          const params = request.params as RecordParams;
          return sendBatch(
            reply,
            await insertNotesFor(domainDeps, principal, params, () => readJsonBody(request)),
          );
        },
      },
      relatedPath,
    );
  }
}
