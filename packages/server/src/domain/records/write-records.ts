import { type ItemResult, isId, type ModuleApiName } from '@bigin-attachments/contract';
import { formatBiginTime } from '../bigin-time.js';
import type { Clock } from '../clock.js';
import { errors } from '../errors.js';
import { formatId } from '../ids.js';
import { type ModuleFields, moduleFields } from '../metadata/module-metadata.js';
import { APPROVAL_STATE_ON_INSERT } from '../metadata/system-keys.js';
import type { Principal } from '../model.js';
import { moduleAccessRefusal } from '../permissions.js';
import type {
  AttachmentCatalog,
  DirectoryRepository,
  RecordDataRepository,
  SeedRepository,
  StoredRecord,
  TagRepository,
  UniqueCheck,
} from '../ports.js';
import { setWrittenTags } from '../tags/record-tags.js';
import { batchStatus, item } from './item-results.js';
import {
  authorizeRecordOperation,
  isVisible,
  resolveRecordModule,
  type VisibilityDeps,
  visibleOwners,
} from './record-access.js';
import { RECORD_MODULES } from './record-modules.js';
import { dataItems } from './request-data.js';
import { checkFields, type FieldCheck } from './validate-fields.js';

export interface RecordWriteDeps extends VisibilityDeps {
  recordData: RecordDataRepository;
  seed: SeedRepository;
  clock: Clock;
  directory: Pick<DirectoryRepository, 'customization'>;
  catalog: Pick<AttachmentCatalog, 'userTimeZone'>;
  tags: TagRepository;
}

/** The caller's field model of `module` and time zone, which every write answer depends on. */
async function writeContext(deps: RecordWriteDeps, principal: Principal, module: ModuleApiName) {
  const customization = await deps.directory.customization(principal.orgId);
  return {
    model: moduleFields(module, customization),
    timeZone: (await deps.catalog.userTimeZone(principal.orgId, principal.userId)) ?? 'UTC',
  };
}

export interface BatchAnswer {
  status: number;
  results: ItemResult[];
}

type Checked = Extract<FieldCheck, { ok: true }>;

/**
 * Store-backed checks of items that passed `checkFields`: the owner must be an active user of the
 * organisation, lookups must name live records of their module, and a note's parent must also be
 * visible to the caller. Returns an error result per failing index.
 */
async function checkReferences(
  deps: RecordWriteDeps,
  principal: Principal,
  checks: Map<number, Checked>,
): Promise<Map<number, ItemResult>> {
  const failures = new Map<number, ItemResult>();
  const ownerIds = [...new Set([...checks.values()].flatMap((c) => (c.owner ? [c.owner] : [])))];
  const users = await deps.recordData.users(principal.orgId, ownerIds);
  const byModule = new Map<ModuleApiName, Set<string>>();
  for (const c of checks.values())
    for (const l of c.lookups) byModule.set(l.module, (byModule.get(l.module) ?? new Set()).add(l.id));
  const live = new Map<string, StoredRecord>();
  for (const [module, ids] of byModule)
    for (const [id, r] of await deps.recordData.findLive(principal.orgId, module, [...ids]))
      live.set(`${module}:${id}`, r);
  const needsVisibility = [...checks.values()].some((c) => c.lookups.some((l) => l.field === 'Parent_Id'));
  const owners = needsVisibility ? await visibleOwners(deps, principal) : null;
  for (const [i, c] of checks) {
    if (c.owner && !users.get(c.owner)?.active) {
      failures.set(i, item.invalidData({ api_name: 'Owner', json_path: `$.data[${i}].Owner` }));
      continue;
    }
    for (const l of c.lookups) {
      const target = live.get(`${l.module}:${l.id}`);
      const reachable =
        target !== undefined &&
        (l.field !== 'Parent_Id' ||
          (isVisible(owners, target.ownerId) && !moduleAccessRefusal(principal, l.module)));
      if (!reachable) {
        failures.set(i, item.invalidData({ api_name: l.field, json_path: l.jsonPath }));
        break;
      }
    }
  }
  return failures;
}

function uniqueChecks(
  model: ModuleFields,
  fields: Record<string, unknown>,
  extra: readonly string[] = [],
): UniqueCheck[] {
  return [...new Set([...model.unique.map((u) => u.apiName), ...extra])].flatMap((field) => {
    const value = fields[field];
    return typeof value === 'string' && value !== '' ? [{ field, value }] : [];
  });
}

/** Write `details` (reference §1.9 order after serialising); exported for upsert answers. */
export function writeDetails(
  principal: Principal,
  r: Pick<StoredRecord, 'id' | 'createdAt' | 'createdBy' | 'modifiedAt'>,
  createdByName: string,
  timeZone: string,
) {
  const me = { name: principal.userName, id: principal.userId };
  return {
    Modified_Time: formatBiginTime(r.modifiedAt, timeZone),
    Modified_By: me,
    Created_Time: formatBiginTime(r.createdAt, timeZone),
    id: r.id,
    Created_By: r.createdBy === principal.userId ? me : { name: createdByName, id: r.createdBy },
  };
}

/**
 * POST /bigin/v2/{module}: inserts up to 100 records, each judged on its own (per-item results).
 * The body is read only once the whole-request checks pass. `preset` adds fields to every item before checking (a note's parent from the URL).
 */
export async function insertRecords(
  deps: RecordWriteDeps,
  principal: Principal,
  moduleName: string,
  readBody: () => Promise<unknown>,
  preset: Record<string, unknown> = {},
  /** Fields to hold unique in this insert besides the module's own (an upsert's duplicate check fields). */
  extraUnique: readonly string[] = [],
): Promise<BatchAnswer> {
  const module = authorizeRecordOperation(principal, moduleName, 'CREATE');
  const items = dataItems(await readBody());
  const { model, timeZone } = await writeContext(deps, principal, module);
  const results: Array<ItemResult | undefined> = new Array(items.length);
  const checks = new Map<number, Checked>();
  items.forEach((raw, i) => {
    const input =
      typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? { ...raw, ...preset } : raw;
    const c = checkFields(module, input, `$.data[${i}]`, null, model);
    if (c.ok) checks.set(i, c);
    else results[i] = c.result;
  });
  for (const [i, failure] of await checkReferences(deps, principal, checks)) {
    results[i] = failure;
    checks.delete(i);
  }
  if (checks.size > 0) {
    const org = await deps.seed.organization(principal.orgId);
    if (!org) throw new Error(`organisation ${principal.orgId} vanished`);
    const first = await deps.seed.reserveSequence(principal.orgId, checks.size);
    const now = deps.clock.now();
    const rows = [...checks].map(([i, c], k) => ({
      index: i,
      record: {
        id: formatId(org.idPrefix, first + k),
        module,
        name: RECORD_MODULES[module].nameOf(c.fields),
        ownerId: c.owner ?? principal.userId,
        fields: c.fields,
        createdBy: principal.userId,
        modifiedBy: principal.userId,
        createdAt: now,
        modifiedAt: now,
        unique: uniqueChecks(model, c.fields, extraUnique),
      },
    }));
    const written = await deps.recordData.insert(
      principal.orgId,
      rows.map((r) => r.record),
    );
    for (const [k, { index, record }] of rows.entries()) {
      const tags = checks.get(index)!.tags;
      if (written[k]!.ok && tags !== null && tags.length > 0)
        await setWrittenTags(deps, principal, module, record.id, tags);
    }
    rows.forEach(({ index, record }, k) => {
      const w = written[k]!;
      const details = writeDetails(principal, record, principal.userName, timeZone);
      results[index] = w.ok
        ? item.success(
            'record added',
            APPROVAL_STATE_ON_INSERT.has(module) ? { ...details, $approval_state: 'approved' } : details,
          )
        : item.duplicate(w.duplicate.field, `$.data[${index}].${w.duplicate.field}`, module, w.duplicate.id);
    });
  }
  const done = results as ItemResult[];
  return { status: batchStatus(done, 201), results: done };
}

/**
 * PUT /bigin/v2/{module} (ids in the items) and PUT /bigin/v2/{module}/{id} (one item): partial
 * updates; fields not sent keep their values, `null` clears a field.
 */
export async function updateRecords(
  deps: RecordWriteDeps,
  principal: Principal,
  moduleName: string,
  readBody: () => Promise<unknown>,
  pathId: string | null,
): Promise<BatchAnswer> {
  const module = authorizeRecordOperation(principal, moduleName, 'UPDATE');
  const items = dataItems(await readBody(), pathId === null ? undefined : 1);
  const { model, timeZone } = await writeContext(deps, principal, module);
  const results: Array<ItemResult | undefined> = new Array(items.length);
  const ids = items.map((raw) => {
    if (pathId !== null) return pathId;
    const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
    return typeof id === 'string' ? id : typeof id === 'number' ? String(id) : undefined;
  });
  const existing = await deps.recordData.findLive(
    principal.orgId,
    module,
    ids.filter((id): id is string => id !== undefined && isId(id)),
  );
  const owners = await visibleOwners(deps, principal);
  const checks = new Map<number, Checked>();
  items.forEach((raw, i) => {
    const id = ids[i];
    if (id === undefined) {
      results[i] = item.mandatoryNotFound('id', `$.data[${i}].id`);
      return;
    }
    const current = existing.get(id);
    if (!current) {
      results[i] = item.invalidId(id);
      return;
    }
    if (!isVisible(owners, current.ownerId)) {
      results[i] = item.noPermission(id);
      return;
    }
    const c = checkFields(module, raw, `$.data[${i}]`, current.fields, model);
    if (c.ok) checks.set(i, c);
    else results[i] = c.result;
  });
  for (const [i, failure] of await checkReferences(deps, principal, checks)) {
    results[i] = failure;
    checks.delete(i);
  }
  const creators = await deps.recordData.users(
    principal.orgId,
    [...checks.keys()].map((i) => existing.get(ids[i]!)!.createdBy),
  );
  for (const [i, c] of checks) {
    const current = existing.get(ids[i]!)!;
    const now = deps.clock.now();
    const w = await deps.recordData.update(principal.orgId, {
      id: current.id,
      module,
      name: RECORD_MODULES[module].nameOf(c.fields),
      ownerId: c.owner ?? current.ownerId,
      fields: c.fields,
      modifiedBy: principal.userId,
      modifiedAt: now,
      unique: uniqueChecks(model, c.fields),
    });
    if (w?.ok && c.tags !== null) await setWrittenTags(deps, principal, module, current.id, c.tags);
    if (w === null) results[i] = item.invalidId(current.id);
    else if (!w.ok)
      results[i] = item.duplicate(
        w.duplicate.field,
        `$.data[${i}].${w.duplicate.field}`,
        module,
        w.duplicate.id,
      );
    else
      results[i] = item.success(
        'record updated',
        writeDetails(
          principal,
          { ...current, modifiedAt: now },
          creators.get(current.createdBy)?.name ?? '',
          timeZone,
        ),
      );
  }
  const done = results as ItemResult[];
  return { status: batchStatus(done, 200), results: done };
}

/**
 * POST /bigin/v2/{module}/{id}/Notes: notes whose parent comes from the URL. The parent must be
 * a live record the caller can see in a module they can view, else the whole call is refused
 * like an attachment call on a missing record (INVALID_DATA, `resource_path_index` 1).
 */
export async function insertNotesFor(
  deps: RecordWriteDeps,
  principal: Principal,
  input: { module: string; recordId: string },
  readBody: () => Promise<unknown>,
): Promise<BatchAnswer> {
  authorizeRecordOperation(principal, 'Notes', 'CREATE');
  const parentModule = resolveRecordModule(input.module);
  if (parentModule === 'Notes') throw errors.urlPattern();
  const tabRefusal = moduleAccessRefusal(principal, parentModule);
  if (tabRefusal) throw errors.noTabPermission(tabRefusal);
  const parent = isId(input.recordId)
    ? (await deps.recordData.findLive(principal.orgId, parentModule, [input.recordId])).get(input.recordId)
    : undefined;
  if (!parent || !isVisible(await visibleOwners(deps, principal), parent.ownerId))
    throw errors.recordNotFound();
  return insertRecords(deps, principal, 'Notes', readBody, {
    Parent_Id: { id: parent.id },
    se_module: parentModule,
  });
}
