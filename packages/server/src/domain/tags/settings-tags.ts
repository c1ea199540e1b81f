import type { ItemResult, ModuleApiName } from '@bigin-attachments/contract';
import type { Clock } from '../clock.js';
import { directoryErrors } from '../directory/directory-access.js';
import { formatId } from '../ids.js';
import type { Principal } from '../model.js';
import type {
  AttachmentCatalog,
  RecordDataRepository,
  SeedRepository,
  TagRepository,
  TagRow,
} from '../ports.js';
import { batchStatus, item } from '../records/item-results.js';
import { recordErrors } from '../records/record-errors.js';
import {
  authorizeTagSettings,
  MAX_TAG_NAME,
  MAX_TAGS_PER_CALL,
  MAX_TAGS_PER_MODULE,
  TAG_COLOURS,
  tagErrors,
  tagNameProblem,
  tagObject,
} from './tag-rules.js';

export interface TagSettingsDeps {
  tags: TagRepository;
  seed: Pick<SeedRepository, 'organization' | 'reserveSequence'>;
  clock: Clock;
  recordData: Pick<RecordDataRepository, 'users'>;
  catalog: Pick<AttachmentCatalog, 'userTimeZone'>;
}

const timeZoneOf = async (deps: TagSettingsDeps, principal: Principal) =>
  (await deps.catalog.userTimeZone(principal.orgId, principal.userId)) ?? 'UTC';

async function usersOf(deps: TagSettingsDeps, principal: Principal, tags: readonly TagRow[]) {
  return deps.recordData.users(principal.orgId, [
    ...new Set(tags.flatMap((t) => [t.createdBy, t.modifiedBy])),
  ]);
}

/**
 * GET /bigin/v2/settings/tags?module=[&my_tags=true]: the module's tags by name, with `info`
 * (`count`, `allowed_count`, [CRM]). An empty list is `"tags":[]` with 200, not a 204: the
 * answer still says how many tags may be made (decision, docs/tags.md).
 */
export async function listTags(
  deps: TagSettingsDeps,
  principal: Principal,
  query: Record<string, string | undefined>,
) {
  const module = authorizeTagSettings(principal, 'READ', query.module);
  const mine = query.my_tags;
  if (mine !== undefined && mine !== 'true' && mine !== 'false')
    throw directoryErrors.invalidParam('my_tags');
  const tags = await deps.tags.list(principal.orgId, module, mine === 'true' ? principal.userId : null);
  const users = await usersOf(deps, principal, tags);
  const timeZone = await timeZoneOf(deps, principal);
  return {
    tags: tags.map((t) => tagObject(t, users, timeZone)),
    info: { count: tags.length, allowed_count: MAX_TAGS_PER_MODULE },
  };
}

/** The `tags` array of a create or update body: 1–50 items, else the whole call is refused. */
function tagItems(body: unknown, limit = MAX_TAGS_PER_CALL): unknown[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw recordErrors.invalidJson('not an object');
  const tags = (body as { tags?: unknown }).tags;
  if (tags === undefined || tags === null) throw tagErrors.tagsMissing();
  if (!Array.isArray(tags) || tags.length === 0) throw tagErrors.tagsNotArray();
  if (tags.length > limit) throw tagErrors.tooManyTags(limit);
  return tags;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The colour of an item (`color_code`, CRM's input key, or `colour_code`, its output key). */
function colourOf(
  raw: Record<string, unknown>,
): { ok: true; value: string | null | undefined } | { ok: false; key: string } {
  const key = 'color_code' in raw ? 'color_code' : 'colour_code';
  const v = raw[key];
  if (v === undefined) return { ok: true, value: undefined };
  if (v === null) return { ok: true, value: null };
  if (typeof v === 'string' && TAG_COLOURS.includes(v.toUpperCase()))
    return { ok: true, value: v.toUpperCase() };
  return { ok: false, key };
}

/** Per-item check of a name: an error result, or the trimmed name. */
function checkName(raw: Record<string, unknown>, at: string): ItemResult | string {
  const problem = tagNameProblem(raw.name);
  if (problem === 'missing') return item.mandatoryNotFound('name', `${at}.name`);
  if (problem === 'too long')
    return item.invalidData({ api_name: 'name', json_path: `${at}.name`, maximum_length: MAX_TAG_NAME });
  if (problem === 'invalid') return item.invalidData({ api_name: 'name', json_path: `${at}.name` });
  return (raw.name as string).trim();
}

const duplicate = (at: string, id: string): ItemResult => ({
  code: 'DUPLICATE_DATA',
  details: { api_name: 'name', json_path: `${at}.name`, id },
  message: 'duplicate data',
  status: 'error',
});

/** What a tag write answers in `details`: the tag without its name ([CRM] create and update samples). */
function written(tag: TagRow, users: Map<string, { name: string }>, timeZone: string) {
  const { name: _name, ...rest } = tagObject(tag, users, timeZone);
  return rest;
}

/**
 * Creates tags of `module` named `names` that it lacks (add_tags and record writes create tags by
 * name, as Bigin does); returns the tag of each name, keyed by its lower-cased form, or the
 * names refused for the module's cap.
 */
export async function ensureTags(
  deps: Pick<TagSettingsDeps, 'tags' | 'seed' | 'clock'>,
  principal: Principal,
  module: ModuleApiName,
  names: readonly string[],
): Promise<{ ok: true; tags: Map<string, TagRow> } | { ok: false }> {
  const found = await deps.tags.byNames(principal.orgId, module, names);
  const missing = [
    ...new Map(names.filter((n) => !found.has(n.toLowerCase())).map((n) => [n.toLowerCase(), n])).values(),
  ];
  if (missing.length === 0) return { ok: true, tags: found };
  const existing = (await deps.tags.list(principal.orgId, module, null)).length;
  if (existing + missing.length > MAX_TAGS_PER_MODULE) return { ok: false };
  for (const { tag } of await deps.tags.create(
    principal.orgId,
    await newTags(deps, principal, module, missing),
  ))
    found.set(tag.name.toLowerCase(), tag);
  return { ok: true, tags: found };
}

async function newTags(
  deps: Pick<TagSettingsDeps, 'seed' | 'clock'>,
  principal: Principal,
  module: ModuleApiName,
  items: ReadonlyArray<string | { name: string; colourCode: string | null }>,
): Promise<TagRow[]> {
  const org = await deps.seed.organization(principal.orgId);
  if (!org) throw new Error(`organisation ${principal.orgId} vanished`);
  const first = await deps.seed.reserveSequence(principal.orgId, items.length);
  const now = deps.clock.now();
  return items.map((x, k) => ({
    orgId: principal.orgId,
    id: formatId(org.idPrefix, first + k),
    module,
    name: typeof x === 'string' ? x : x.name,
    colourCode: typeof x === 'string' ? null : x.colourCode,
    createdBy: principal.userId,
    createdAt: now,
    modifiedBy: principal.userId,
    modifiedAt: now,
  }));
}

/** POST /bigin/v2/settings/tags?module=: `{"tags":[{name, color_code?}]}`, one result per item. */
export async function createTags(
  deps: TagSettingsDeps,
  principal: Principal,
  query: Record<string, string | undefined>,
  readBody: () => Promise<unknown>,
) {
  const module = authorizeTagSettings(principal, 'CREATE', query.module);
  const items = tagItems(await readBody());
  const results: Array<ItemResult | undefined> = new Array(items.length);
  const valid: Array<{ index: number; name: string; colourCode: string | null }> = [];
  const seen = new Map<string, number>();
  items.forEach((raw, i) => {
    const at = `$.tags[${i}]`;
    if (!isObject(raw)) {
      results[i] = item.invalidData({ json_path: at });
      return;
    }
    const name = checkName(raw, at);
    if (typeof name !== 'string') {
      results[i] = name;
      return;
    }
    const colour = colourOf(raw);
    if (!colour.ok) {
      results[i] = item.invalidData({ api_name: colour.key, json_path: `${at}.${colour.key}` });
      return;
    }
    seen.set(name.toLowerCase(), (seen.get(name.toLowerCase()) ?? 0) + 1);
    valid.push({ index: i, name, colourCode: colour.value ?? null });
  });
  const existing = (await deps.tags.list(principal.orgId, module, null)).length;
  const room = Math.max(0, MAX_TAGS_PER_MODULE - existing);
  const admitted = valid.slice(0, room);
  for (const v of valid.slice(room))
    results[v.index] = {
      code: 'LIMIT_EXCEEDED',
      details: { api_name: 'name', json_path: `$.tags[${v.index}].name`, limit: MAX_TAGS_PER_MODULE },
      message: 'the number of tags in the module exceeds the limit',
      status: 'error',
    };
  if (admitted.length > 0) {
    const rows = await newTags(deps, principal, module, admitted);
    const outcome = await deps.tags.create(principal.orgId, rows);
    const users = await usersOf(
      deps,
      principal,
      outcome.map((o) => o.tag),
    );
    const timeZone = await timeZoneOf(deps, principal);
    admitted.forEach((v, k) => {
      const o = outcome[k]!;
      results[v.index] = o.created
        ? item.success('tags created successfully', written(o.tag, users, timeZone))
        : duplicate(`$.tags[${v.index}]`, o.tag.id);
    });
  }
  const done = results as ItemResult[];
  return { status: batchStatus(done, 201), body: { tags: done } };
}

/**
 * PUT /bigin/v2/settings/tags?module= (ids in the items) and PUT /bigin/v2/settings/tags/{id}?module=
 * (one item, the id from the path): renames and recolours, one result per item.
 */
export async function updateTags(
  deps: TagSettingsDeps,
  principal: Principal,
  query: Record<string, string | undefined>,
  readBody: () => Promise<unknown>,
  pathId: string | null,
) {
  const module = authorizeTagSettings(principal, 'UPDATE', query.module);
  const items = tagItems(await readBody(), pathId === null ? MAX_TAGS_PER_CALL : 1);
  const results: ItemResult[] = [];
  const touched: TagRow[] = [];
  const outcomes: Array<TagRow | null> = [];
  for (const [i, raw] of items.entries()) {
    const at = `$.tags[${i}]`;
    outcomes.push(null);
    if (!isObject(raw)) {
      results.push(item.invalidData({ json_path: at }));
      continue;
    }
    const rawId = pathId ?? raw.id;
    const id = typeof rawId === 'number' ? String(rawId) : rawId;
    if (id === undefined || id === null || id === '') {
      results.push(item.mandatoryNotFound('id', `${at}.id`));
      continue;
    }
    if (typeof id !== 'string' || !/^[0-9]{1,19}$/.test(id)) {
      results.push(item.invalidId(String(id)));
      continue;
    }
    const name = checkName(raw, at);
    if (typeof name !== 'string') {
      results.push(name);
      continue;
    }
    const colour = colourOf(raw);
    if (!colour.ok) {
      results.push(item.invalidData({ api_name: colour.key, json_path: `${at}.${colour.key}` }));
      continue;
    }
    const w = await deps.tags.update(principal.orgId, {
      module,
      id,
      name,
      colourCode: colour.value,
      modifiedBy: principal.userId,
      modifiedAt: deps.clock.now(),
    });
    if (w.ok) {
      touched.push(w.tag);
      outcomes[i] = w.tag;
      results.push(item.success('tags updated successfully', {}));
    } else if (w.reason === 'missing') results.push(item.invalidId(id));
    else results.push(duplicate(at, w.id));
  }
  if (touched.length > 0) {
    const users = await usersOf(deps, principal, touched);
    const timeZone = await timeZoneOf(deps, principal);
    outcomes.forEach((tag, i) => {
      if (tag) results[i] = item.success('tags updated successfully', written(tag, users, timeZone));
    });
  }
  return { status: batchStatus(results, 200), body: { tags: results } };
}
