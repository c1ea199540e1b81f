import {
  ATTACHMENT_LIST_FIELDS,
  type AttachmentListField,
  type AttachmentListItem,
  type ListAttachmentsResponse,
  MAX_PER_PAGE,
} from '@bigin-attachments/contract';
import { formatBiginTime } from '../bigin-time.js';
import { errors } from '../errors.js';
import type { Principal } from '../model.js';
import type { AttachmentCatalog, AttachmentListEntry, UserSummary } from '../ports.js';
import {
  type AttachmentAccessDeps,
  type AttachmentAccessRule,
  authorizeAttachmentAccess,
} from './authorize-attachment-access.js';

export interface ListAttachmentsDeps extends AttachmentAccessDeps {
  catalog: AttachmentCatalog;
}

export const VIEW_RULE: AttachmentAccessRule = {
  operation: 'READ',
  filesPermission: 'view',
  recordNotAccessible: errors.viewNotAuthorized,
};

export interface ListQuery {
  fields: ReadonlySet<AttachmentListField> | null;
  page: number;
  perPage: number;
}

const KNOWN_FIELDS = new Set<string>(ATTACHMENT_LIST_FIELDS);
const MAX_PAGE = 1_000_000;

function invalidParam(name: string, why: string) {
  return errors.invalidData(`D6 list-param ${name}: ${why}`, { param_name: name });
}

/** A single query parameter's value; a parameter given twice is refused rather than guessed at. */
function single(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalidParam(name, 'given more than once');
  return value;
}

function positive(query: Record<string, unknown>, name: string, fallback: number, max: number): number {
  const raw = single(query, name);
  if (raw === undefined) return fallback;
  if (!/^[0-9]{1,7}$/.test(raw)) throw invalidParam(name, 'not a whole number');
  const n = Number(raw);
  if (n < 1 || n > max) throw invalidParam(name, `outside 1..${max}`);
  return n;
}

/** `fields`, `page` (default 1) and `per_page` (default and maximum 200); other parameters are ignored. */
export function parseListQuery(query: Record<string, unknown>): ListQuery {
  const rawFields = single(query, 'fields');
  let fields: Set<AttachmentListField> | null = null;
  if (rawFields !== undefined && rawFields.trim() !== '') {
    fields = new Set<AttachmentListField>(['id']);
    for (const name of rawFields.split(',').map((f) => f.trim())) {
      if (!KNOWN_FIELDS.has(name)) throw invalidParam('fields', `unknown field ${JSON.stringify(name)}`);
      fields.add(name as AttachmentListField);
    }
  }
  return {
    fields,
    page: positive(query, 'page', 1, MAX_PAGE),
    perPage: positive(query, 'per_page', MAX_PER_PAGE, MAX_PER_PAGE),
  };
}

/**
 * One page of a record's live attachments, newest first (D6). Null when the page is empty: the
 * HTTP answer is then 204 with no body.
 */
export async function listAttachments(
  deps: ListAttachmentsDeps,
  principal: Principal,
  input: { module: string; recordId: string; query: Record<string, unknown> },
): Promise<ListAttachmentsResponse | null> {
  const { record } = await authorizeAttachmentAccess(deps, principal, input, VIEW_RULE);
  const query = parseListQuery(input.query);
  // One more than a page tells whether another page follows without counting them all.
  const rows = await deps.catalog.listLive({
    orgId: principal.orgId,
    recordId: record.id,
    limit: query.perPage + 1,
    offset: (query.page - 1) * query.perPage,
  });
  if (rows.length === 0) return null;
  const page = rows.slice(0, query.perPage);
  const timeZone = (await deps.catalog.userTimeZone(principal.orgId, principal.userId)) ?? 'UTC';
  return {
    data: page.map((row) => select(toItem(row, timeZone), query.fields)),
    info: {
      per_page: query.perPage,
      count: page.length,
      page: query.page,
      more_records: rows.length > query.perPage,
    },
  };
}

const person = (u: UserSummary) => ({ name: u.name, id: u.id, email: u.email });

function toItem(row: AttachmentListEntry, timeZone: string): AttachmentListItem {
  const isFile = row.kind === 'file';
  return {
    id: row.id,
    File_Name: row.fileName,
    Size: String(row.size),
    $type: isFile ? 'File' : 'Link URL',
    $link_url: isFile ? null : row.linkUrl,
    $se_module: row.module,
    $editable: true,
    // The attachment's own id stands for its bytes: stable, and reveals nothing about content.
    $file_id: isFile ? row.id : null,
    Parent_Id: { name: row.recordName, id: row.recordId },
    Owner: person(row.owner),
    Created_By: person(row.creator),
    Modified_By: person(row.modifier),
    Created_Time: formatBiginTime(row.createdAt, timeZone),
    Modified_Time: formatBiginTime(row.modifiedAt, timeZone),
  };
}

function select(
  item: AttachmentListItem,
  fields: ReadonlySet<AttachmentListField> | null,
): Partial<AttachmentListItem> & { id: string } {
  if (!fields) return item;
  const out: Partial<AttachmentListItem> & { id: string } = { id: item.id };
  // Wire order, whatever order `fields` named them in.
  for (const f of ATTACHMENT_LIST_FIELDS) if (fields.has(f)) (out as Record<string, unknown>)[f] = item[f];
  return out;
}
