import { isId, type ModuleApiName, PHOTO_MODULES } from '@bigin-attachments/contract';
import { formatBiginTime } from '../bigin-time.js';
import type { Clock } from '../clock.js';
import { errors } from '../errors.js';
import { metadataIds } from '../metadata/metadata-ids.js';
import type { Principal } from '../model.js';
import { recordImages } from '../photos/record-image.js';
import type {
  AttachmentCatalog,
  DirectoryRepository,
  RecordPhotoRepository,
  RecordSortKey,
  StoredRecord,
  TagRepository,
} from '../ports.js';
import { recordsInfo, relatedInfo } from './list-info.js';
import { decodePageToken, encodePageToken, PAGE_TOKEN_TTL_MS, type PageTokenState } from './page-token.js';
import { authorizeRecordOperation, isVisible, type VisibilityDeps, visibleOwners } from './record-access.js';
import { recordErrors } from './record-errors.js';
import { relatedList } from './record-modules.js';
import { referencesOf, renderRecord } from './render-record.js';

export interface RecordReadDeps extends VisibilityDeps {
  clock: Clock;
  directory: Pick<DirectoryRepository, 'customization'>;
  catalog: Pick<AttachmentCatalog, 'userTimeZone'>;
  tags: Pick<TagRepository, 'ofRecords'>;
  /** Record photos, for `Record_Image` (D20). */
  photos: Pick<RecordPhotoRepository, 'ofRecords'>;
  /** The installation's page-token signing key (page-token.ts). */
  pageTokenKey(): Promise<Uint8Array>;
}

export type Query = Record<string, string | undefined>;

/** `page` reaches only this many records; beyond them clients follow `page_token`. */
export const DISCRETE_PAGINATION_LIMIT = 2000;
export const MAX_PER_PAGE = 200;
const MAX_FIELDS = 50;

/**
 * The `fields` parameter as a set of names. Names the module lacks are not refused here: the
 * renderer drops them silently, as Bigin does (D9); only an empty list or more than 50 names is
 * an error.
 */
function parseFields(value: string | undefined): Set<string> | null {
  if (value === undefined) return null;
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.length === 0 || names.length > MAX_FIELDS) throw recordErrors.invalidParam('fields');
  return new Set(names);
}

function positiveInt(query: Query, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = query[name];
  if (raw === undefined) return fallback;
  if (!/^[0-9]{1,9}$/.test(raw)) throw recordErrors.invalidParam(name);
  const n = Number(raw);
  if (n < 1 || n > max) throw recordErrors.invalidParam(name);
  return n;
}

/** The caller's zone: every time in a read is written in it (D9); UTC when the user has none. */
export async function callerTimeZone(
  deps: Pick<RecordReadDeps, 'catalog'>,
  principal: Principal,
): Promise<string> {
  return (await deps.catalog.userTimeZone(principal.orgId, principal.userId)) ?? 'UTC';
}

/** Records as Bigin renders them for this caller (exported for search and upsert answers). */
export async function renderRecords(
  deps: Pick<RecordReadDeps, 'recordData' | 'directory' | 'catalog' | 'tags' | 'photos'>,
  principal: Principal,
  module: ModuleApiName,
  records: StoredRecord[],
  only: Set<string> | null,
  timeZone?: string,
) {
  const customization = await deps.directory.customization(principal.orgId);
  const refs = referencesOf(records, customization);
  const permissions = principal.profile.permissions.modules[module];
  const ctx = {
    users: await deps.recordData.users(principal.orgId, refs.users),
    names: await deps.recordData.names(principal.orgId, refs.records),
    timeZone: timeZone ?? (await callerTimeZone(deps, principal)),
    customization,
    dollar: {
      canEdit: permissions?.edit === true,
      canDelete: permissions?.delete === true,
      layoutId: metadataIds.layout(principal.orgId, module),
    },
    tags:
      only === null || only.has('Tag')
        ? await deps.tags.ofRecords(
            principal.orgId,
            records.map((r) => r.id),
          )
        : new Map(),
    photos:
      // Only the photo modules have Record_Image: no lookup for the others.
      (PHOTO_MODULES as readonly string[]).includes(module) && (only === null || only.has('Record_Image'))
        ? recordImages(
            principal.orgId,
            await deps.photos.ofRecords(
              principal.orgId,
              records.map((r) => r.id),
            ),
          )
        : new Map(),
  };
  return records.map((r) => renderRecord(r, ctx, only));
}

/**
 * GET /bigin/v2/{module}/{id}: `{"data":[record]}`, or null (204) when the id is malformed,
 * unknown, deleted, in another organisation or module, or not visible to the caller.
 */
export async function getRecord(
  deps: RecordReadDeps,
  principal: Principal,
  moduleName: string,
  id: string,
  query: Query,
): Promise<{ data: unknown[] } | null> {
  const module = authorizeRecordOperation(principal, moduleName, 'READ');
  const only = parseFields(query.fields);
  if (!isId(id)) return null;
  const record = (await deps.recordData.findLive(principal.orgId, module, [id])).get(id);
  if (!record || !isVisible(await visibleOwners(deps, principal), record.ownerId)) return null;
  return { data: await renderRecords(deps, principal, module, [record], only) };
}

/**
 * GET /bigin/v2/{module}: one page of the records the caller may see, with the full `info`
 * object; null (204) when the page is empty. `page` × `per_page` may not pass 2,000 records;
 * `next_page_token` (given whenever there are more records) reaches the rest.
 */
export async function listRecords(
  deps: RecordReadDeps,
  principal: Principal,
  moduleName: string,
  query: Query,
): Promise<RecordPage | null> {
  const module = authorizeRecordOperation(principal, moduleName, 'READ');
  return listPage(deps, principal, module, query, undefined);
}

/**
 * GET /bigin/v2/{module}/{id}/{related}: the related list of a record (its notes; a company's
 * contacts and deals; a contact's deals), paged like GET records; null (204) when empty. The
 * parent must be a live record the caller can see, else INVALID_DATA at `resource_path_index` 1.
 */
export async function listRelatedRecords(
  deps: RecordReadDeps,
  principal: Principal,
  input: { module: string; recordId: string; related: string },
  query: Query,
): Promise<RecordPage | null> {
  const parentModule = authorizeRecordOperation(principal, input.module, 'READ');
  const related = relatedList(parentModule, input.related);
  if (!related) throw errors.urlPattern();
  authorizeRecordOperation(principal, related.module, 'READ');
  const parent = isId(input.recordId)
    ? (await deps.recordData.findLive(principal.orgId, parentModule, [input.recordId])).get(input.recordId)
    : undefined;
  if (!parent || !isVisible(await visibleOwners(deps, principal), parent.ownerId))
    throw errors.recordNotFound();
  return listPage(deps, principal, related.module, query, { field: related.field, id: parent.id });
}

export interface RecordPage {
  data: unknown[];
  info: Record<string, unknown>;
}

async function listPage(
  deps: RecordReadDeps,
  principal: Principal,
  module: ModuleApiName,
  query: Query,
  lookup: { field: string; id: string } | undefined,
): Promise<RecordPage | null> {
  const only = parseFields(query.fields);
  const now = deps.clock.now();
  let state: Omit<PageTokenState, 'after' | 'expiresAt' | 'orgId'> & {
    after: PageTokenState['after'] | null;
  };
  if (query.page_token !== undefined) {
    if (query.page !== undefined) throw recordErrors.invalidParam('page_token');
    const t = decodePageToken(query.page_token, await deps.pageTokenKey(), now);
    if (!t || t.orgId !== principal.orgId || t.module !== module)
      throw recordErrors.invalidParam('page_token');
    state = t;
  } else {
    const sortBy = query.sort_by ?? 'id';
    if (sortBy !== 'id' && sortBy !== 'Created_Time' && sortBy !== 'Modified_Time')
      throw recordErrors.invalidParam('sort_by');
    const order = query.sort_order ?? 'desc';
    if (order !== 'asc' && order !== 'desc') throw recordErrors.invalidParam('sort_order');
    const perPage = positiveInt(query, 'per_page', MAX_PER_PAGE, MAX_PER_PAGE);
    const page = positiveInt(query, 'page', 1);
    if (page * perPage > DISCRETE_PAGINATION_LIMIT) throw recordErrors.pageLimit(DISCRETE_PAGINATION_LIMIT);
    state = {
      module,
      sortBy: sortBy as RecordSortKey,
      descending: order === 'desc',
      perPage,
      page,
      after: null,
    };
  }
  const owners = await visibleOwners(deps, principal);
  const rows = await deps.recordData.list({
    orgId: principal.orgId,
    module,
    ownerIds: owners === null ? null : [...owners],
    sortBy: state.sortBy,
    descending: state.descending,
    limit: state.perPage + 1,
    offset: (state.page - 1) * state.perPage,
    after: state.after,
    ...(lookup ? { lookup } : {}),
  });
  if (rows.length === 0) return null;
  const timeZone = await callerTimeZone(deps, principal);
  const more = rows.length > state.perPage;
  const page = rows.slice(0, state.perPage);
  const last = page[page.length - 1]!;
  const expiresAt = now + PAGE_TOKEN_TTL_MS;
  const next = more
    ? encodePageToken(
        {
          orgId: principal.orgId,
          module,
          sortBy: state.sortBy,
          descending: state.descending,
          perPage: state.perPage,
          page: state.page + 1,
          after: {
            value:
              state.sortBy === 'Created_Time'
                ? last.createdAt
                : state.sortBy === 'Modified_Time'
                  ? last.modifiedAt
                  : null,
            id: last.id,
          },
          expiresAt,
        },
        await deps.pageTokenKey(),
      )
    : null;
  const pageState = { perPage: state.perPage, page: state.page, count: page.length, more };
  const tokens = {
    nextPageToken: next,
    pageTokenExpiry: next === null ? null : formatBiginTime(expiresAt, timeZone),
  };
  return {
    data: await renderRecords(deps, principal, module, page, only, timeZone),
    info: lookup
      ? relatedInfo(pageState, tokens)
      : recordsInfo(pageState, tokens, { by: state.sortBy, descending: state.descending }),
  };
}
