import { type ItemResult, isId, type ModuleApiName } from '@bigin-attachments/contract';
import type { Clock } from '../clock.js';
import type { Principal } from '../model.js';
import type { SeedRepository, TagRepository, TagRow } from '../ports.js';
import { batchStatus, item } from '../records/item-results.js';
import { isVisible, type VisibilityDeps, visibleOwners } from '../records/record-access.js';
import { recordErrors } from '../records/record-errors.js';
import { ensureTags } from './settings-tags.js';
import { authorizeTagAction, MAX_TAGGED_RECORDS, tagNameProblem } from './tag-rules.js';

export interface RecordTagDeps extends VisibilityDeps {
  tags: TagRepository;
  seed: Pick<SeedRepository, 'organization' | 'reserveSequence'>;
  clock: Clock;
}

type Query = Record<string, string | undefined>;

/** What an add_tags or remove_tags call asks for, from its query or its JSON body. */
interface TagRequest {
  names: string[];
  tagIds: string[];
  recordIds: string[];
  overwrite: boolean;
}

const commaList = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

/**
 * The parameters of add_tags and remove_tags. Bigin's pages give remove_tags query parameters
 * (`tag_names`, `ids`) and Bigin v1's add_tags the same (`tag_names`, `ids`, `over_write`); Zoho
 * CRM v7 sends `{"tags":[{name|id}],"ids":[…],"over_write":…}` as JSON. Both are accepted: the
 * query when it names `tag_names`, else the body (decision, docs/tags.md).
 */
async function tagRequest(
  query: Query,
  readBody: (() => Promise<unknown>) | null,
  recordId: string | null,
): Promise<TagRequest> {
  let names: string[] = [];
  const tagIds: string[] = [];
  let ids: string[] | undefined;
  let overwrite: unknown = query.over_write;
  if (query.tag_names !== undefined || readBody === null) {
    if (query.tag_names === undefined) throw recordErrors.paramMissing('tag_names');
    names = commaList(query.tag_names);
    if (query.ids !== undefined) ids = commaList(query.ids);
  } else {
    const body = await readBody();
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw recordErrors.invalidJson('not an object');
    const b = body as { tags?: unknown; ids?: unknown; over_write?: unknown };
    if (b.tags === undefined || b.tags === null) throw recordErrors.paramMissing('tag_names');
    if (!Array.isArray(b.tags)) throw recordErrors.invalidParam('tags');
    for (const t of b.tags) {
      const o = (typeof t === 'object' && t !== null ? t : {}) as { name?: unknown; id?: unknown };
      // The id of a tag takes precedence over its name ([CRM] add-tags).
      if (typeof o.id === 'string' || typeof o.id === 'number') tagIds.push(String(o.id));
      else if (typeof o.name === 'string') names.push(o.name.trim());
      else throw recordErrors.invalidParam('tags');
    }
    if (b.ids !== undefined) {
      if (!Array.isArray(b.ids)) throw recordErrors.invalidParam('ids');
      ids = b.ids.map((x) => String(x));
    } else if (query.ids !== undefined) ids = commaList(query.ids);
    if (b.over_write !== undefined) overwrite = b.over_write;
  }
  if (names.length === 0 && tagIds.length === 0) throw recordErrors.paramMissing('tag_names');
  if (names.some((n) => tagNameProblem(n) !== null)) throw recordErrors.invalidParam('tag_names');
  if (tagIds.some((id) => !/^[0-9]{1,19}$/.test(id))) throw recordErrors.invalidParam('tags');
  if (
    overwrite !== undefined &&
    overwrite !== true &&
    overwrite !== false &&
    overwrite !== 'true' &&
    overwrite !== 'false'
  )
    throw recordErrors.invalidParam('over_write');
  let recordIds: string[];
  if (recordId !== null) recordIds = [recordId];
  else {
    if (ids === undefined || ids.length === 0) throw recordErrors.paramMissing('ids');
    recordIds = [...new Set(ids)];
    if (recordIds.length > MAX_TAGGED_RECORDS) throw recordErrors.tooManyIds(MAX_TAGGED_RECORDS);
  }
  return { names, tagIds, recordIds, overwrite: overwrite === true || overwrite === 'true' };
}

export interface TagActionAnswer {
  status: number;
  results: ItemResult[];
}

/**
 * Per record: live in the module and visible, else its error. The ids the call may change.
 */
async function recordTargets(
  deps: RecordTagDeps,
  principal: Principal,
  module: ModuleApiName,
  ids: string[],
) {
  const live = await deps.recordData.findLive(
    principal.orgId,
    module,
    ids.filter((id) => isId(id)),
  );
  const owners = await visibleOwners(deps, principal);
  const errors = new Map<string, ItemResult>();
  for (const id of ids) {
    const r = live.get(id);
    if (!r) errors.set(id, item.invalidId(id));
    else if (!isVisible(owners, r.ownerId)) errors.set(id, item.noPermission(id));
  }
  return { ok: ids.filter((id) => !errors.has(id)), errors };
}

async function answer(
  deps: RecordTagDeps,
  principal: Principal,
  ids: string[],
  errors: Map<string, ItemResult>,
  message: string,
): Promise<TagActionAnswer> {
  const now = await deps.tags.ofRecords(
    principal.orgId,
    ids.filter((id) => !errors.has(id)),
  );
  const results = ids.map(
    (id) => errors.get(id) ?? item.success(message, { id, tags: (now.get(id) ?? []).map((t) => t.name) }),
  );
  // 200 however many records: the call changes the records' tags, not records (decision, docs/tags.md).
  const allOk = results.every((r) => r.status === 'success');
  return { status: allOk ? 200 : batchStatus(results, 200), results };
}

/**
 * POST /bigin/v2/{module}/actions/add_tags and /{module}/{record_id}/actions/add_tags: puts the
 * tags on each record, creating tags it names that the module lacks; with `over_write` the
 * record's other tags go. One result per record: its tags afterwards.
 */
export async function addTags(
  deps: RecordTagDeps,
  principal: Principal,
  input: { module: string; recordId: string | null },
  query: Query,
  readBody: (() => Promise<unknown>) | null,
): Promise<TagActionAnswer> {
  const module = authorizeTagAction(principal, input.module, 'add');
  const req = await tagRequest(query, readBody, input.recordId);
  const { ok, errors } = await recordTargets(deps, principal, module, req.recordIds);
  if (ok.length > 0) {
    const byId = await deps.tags.byIds(principal.orgId, module, req.tagIds);
    if (byId.size !== new Set(req.tagIds).size) throw recordErrors.invalidParam('tags');
    const ensured = await ensureTags(deps, principal, module, req.names);
    if (!ensured.ok)
      for (const id of ok)
        errors.set(id, {
          code: 'LIMIT_EXCEEDED',
          details: { id },
          message: 'the number of tags in the module exceeds the limit',
          status: 'error',
        });
    else {
      const tagIds = [...new Set([...byId.keys(), ...[...ensured.tags.values()].map((t: TagRow) => t.id)])];
      await deps.tags.tagRecords(principal.orgId, ok, tagIds, req.overwrite, deps.clock.now());
    }
  }
  return answer(deps, principal, req.recordIds, errors, 'tags updated successfully');
}

/**
 * POST /bigin/v2/{module}/actions/remove_tags?ids=…&tag_names=… and
 * /{module}/{record_id}/actions/remove_tags?tag_names=…: takes the named tags off each record;
 * names the module has no tag for change nothing.
 */
export async function removeTags(
  deps: RecordTagDeps,
  principal: Principal,
  input: { module: string; recordId: string | null },
  query: Query,
  readBody: (() => Promise<unknown>) | null,
): Promise<TagActionAnswer> {
  const module = authorizeTagAction(principal, input.module, 'remove');
  const req = await tagRequest(query, readBody, input.recordId);
  const { ok, errors } = await recordTargets(deps, principal, module, req.recordIds);
  if (ok.length > 0) {
    const named = await deps.tags.byNames(principal.orgId, module, req.names);
    const byId = await deps.tags.byIds(principal.orgId, module, req.tagIds);
    const tagIds = [...new Set([...[...named.values()].map((t) => t.id), ...byId.keys()])];
    if (tagIds.length > 0) await deps.tags.untagRecords(principal.orgId, ok, tagIds);
  }
  return answer(deps, principal, req.recordIds, errors, 'tags removed successfully');
}

/**
 * `"Tag":[{"name":…}]` on an insert or update: the record's tags become those named, tags the
 * module lacks are created. Called once the record is written; refused names never reach here
 * (validate-fields checks them).
 */
export async function setWrittenTags(
  deps: Pick<RecordTagDeps, 'tags' | 'seed' | 'clock'>,
  principal: Principal,
  module: ModuleApiName,
  recordId: string,
  names: readonly string[],
): Promise<boolean> {
  const ensured = await ensureTags(deps, principal, module, names);
  if (!ensured.ok) return false;
  await deps.tags.tagRecords(
    principal.orgId,
    [recordId],
    [...ensured.tags.values()].map((t) => t.id),
    true,
    deps.clock.now(),
  );
  return true;
}
