import { type ItemResult, isId, type ModuleApiName } from '@bigin-attachments/contract';
import type { Clock } from '../clock.js';
import { errors } from '../errors.js';
import type { Principal } from '../model.js';
import { moduleAccessRefusal } from '../permissions.js';
import type { RecordLinkRepository } from '../ports.js';
import { parseIdsParam } from '../records/delete-records.js';
import { batchStatus } from '../records/item-results.js';
import { listRelatedRecords, type RecordReadDeps } from '../records/read-records.js';
import {
  authorizeRecordOperation,
  isVisible,
  resolveRecordModule,
  type VisibilityDeps,
  visibleOwners,
} from '../records/record-access.js';
import { recordErrors } from '../records/record-errors.js';
import { dataItems } from '../records/request-data.js';
import { parseFieldsParam, positiveIntParam, renderRecords } from '../search/render-records.js';
import { findRelatedList, type RelatedListDef } from './related-lists.js';

export interface RelatedDeps extends VisibilityDeps, RecordReadDeps {
  recordLinks: RecordLinkRepository;
  clock: Clock;
}

const MAX_PER_PAGE = 200;
const PAGE_LIMIT = 2000;

export interface RelatedPage {
  data: unknown[];
  info: Record<string, unknown>;
}

type Query = Record<string, string | undefined>;

function listOf(parent: ModuleApiName, name: string): RelatedListDef {
  const def = findRelatedList(parent, name);
  if (!def) throw errors.urlPattern();
  return def;
}

/** The parent: a live record of the module that the caller can see, else INVALID_DATA at index 1. */
async function liveParent(deps: RelatedDeps, principal: Principal, module: ModuleApiName, id: string) {
  const parent = isId(id)
    ? (await deps.recordData.findLive(principal.orgId, module, [id])).get(id)
    : undefined;
  if (!parent || !isVisible(await visibleOwners(deps, principal), parent.ownerId))
    throw errors.recordNotFound();
  return parent;
}

/**
 * GET /{module}/{id}/{related}: a page of the related records with the 7-key related `info`
 * (no `sort_by`/`sort_order`); null (204) when there are none.
 */
export async function getRelatedRecords(
  deps: RelatedDeps,
  principal: Principal,
  input: { module: string; recordId: string; related: string },
  query: Query,
): Promise<RelatedPage | null> {
  const parentModule = resolveRecordModule(input.module);
  const def = listOf(parentModule, input.related);
  if (def.kind === 'lookup') {
    const page = await listRelatedRecords(deps, principal, input, query);
    if (!page) return null;
    const { sort_by: _s, sort_order: _o, ...info } = page.info;
    return { data: page.data, info };
  }
  authorizeRecordOperation(principal, parentModule, 'READ');
  authorizeRecordOperation(principal, def.module, 'READ');
  const parent = await liveParent(deps, principal, parentModule, input.recordId);
  const only = parseFieldsParam(query.fields);
  const perPage = positiveIntParam(query, 'per_page', MAX_PER_PAGE, MAX_PER_PAGE);
  const page = positiveIntParam(query, 'page', 1);
  if (page * perPage > PAGE_LIMIT) throw recordErrors.pageLimit(PAGE_LIMIT);
  const owners = await visibleOwners(deps, principal);
  const rows = await deps.recordLinks.linked({
    orgId: principal.orgId,
    id: parent.id,
    module: def.module,
    ownerIds: owners === null ? null : [...owners],
    limit: perPage + 1,
    offset: (page - 1) * perPage,
  });
  if (rows.length === 0) return null;
  const shown = rows.slice(0, perPage);
  return {
    data: await renderRecords(deps, principal, shown, only),
    // Key order as recorded; links page by number only, so no tokens are ever issued.
    info: {
      per_page: perPage,
      next_page_token: null,
      count: shown.length,
      page,
      previous_page_token: null,
      page_token_expiry: null,
      more_records: rows.length > perPage,
    },
  };
}

const relation = (id: string, message: string): ItemResult => ({
  code: 'SUCCESS',
  details: { id },
  message,
  status: 'success',
});
const badRelated = (id: string | undefined, jsonPath?: string): ItemResult => ({
  code: 'INVALID_DATA',
  details: id === undefined ? { api_name: 'id', json_path: jsonPath } : { id },
  message: 'the related id given seems to be invalid',
  status: 'error',
});

async function linkTarget(
  deps: RelatedDeps,
  principal: Principal,
  input: { module: string; recordId: string; related: string },
) {
  const parentModule = authorizeRecordOperation(principal, input.module, 'UPDATE');
  const def = listOf(parentModule, input.related);
  if (def.kind !== 'link') throw errors.requestMethod();
  const refusal = moduleAccessRefusal(principal, def.module);
  if (refusal) throw errors.noTabPermission(refusal);
  const parent = await liveParent(deps, principal, parentModule, input.recordId);
  return { def, parent };
}

/**
 * PUT /{module}/{id}/{related} (body `data[].id`, up to 100) and PUT …/{related}/{relatedId}:
 * links each live related record; "relation added", or "relation updated" when already linked.
 */
export async function linkRelatedRecords(
  deps: RelatedDeps,
  principal: Principal,
  input: { module: string; recordId: string; related: string; relatedId?: string },
  readBody: () => Promise<unknown>,
): Promise<{ status: number; results: ItemResult[] }> {
  const { def, parent } = await linkTarget(deps, principal, input);
  let ids: Array<string | undefined>;
  if (input.relatedId !== undefined) ids = [input.relatedId];
  else
    ids = dataItems(await readBody()).map((raw) => {
      const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
      return typeof id === 'string' ? id : typeof id === 'number' ? String(id) : undefined;
    });
  const live = await deps.recordData.findLive(
    principal.orgId,
    def.module,
    ids.filter((i): i is string => i !== undefined && isId(i)),
  );
  const owners = await visibleOwners(deps, principal);
  const results: ItemResult[] = new Array(ids.length);
  const toLink: Array<{ index: number; id: string }> = [];
  ids.forEach((id, i) => {
    const target = id === undefined ? undefined : live.get(id);
    if (!target || !isVisible(owners, target.ownerId)) results[i] = badRelated(id, `$.data[${i}].id`);
    else toLink.push({ index: i, id: target.id });
  });
  const added = await deps.recordLinks.link(
    principal.orgId,
    parent.id,
    toLink.map((l) => l.id),
    deps.clock.now(),
  );
  toLink.forEach((l, k) => {
    results[l.index] = relation(l.id, added[k] ? 'relation added' : 'relation updated');
  });
  return { status: batchStatus(results, 200) === 202 ? 200 : batchStatus(results, 200), results };
}

/** DELETE /{module}/{id}/{related}?ids=… (up to 100) and DELETE …/{related}/{relatedId}: "relation removed". */
export async function delinkRelatedRecords(
  deps: RelatedDeps,
  principal: Principal,
  input: { module: string; recordId: string; related: string; relatedId?: string },
  idsParam: string | undefined,
): Promise<{ status: number; results: ItemResult[] }> {
  const { parent } = await linkTarget(deps, principal, input);
  const ids = input.relatedId !== undefined ? [input.relatedId] : parseIdsParam(idsParam);
  const removed = await deps.recordLinks.unlink(principal.orgId, parent.id, ids);
  const results = ids.map((id, i) => (removed[i] ? relation(id, 'relation removed') : badRelated(id)));
  return { status: batchStatus(results, 200) === 202 ? 200 : batchStatus(results, 200), results };
}
