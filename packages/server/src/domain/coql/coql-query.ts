import { findModule, type ModuleApiName, recordScopes } from '@bigin-attachments/contract';
import { errors } from '../errors.js';
import type { Principal } from '../model.js';
import { moduleAccessRefusal } from '../permissions.js';
import type { StoredRecord } from '../ports.js';
import { isVisible, visibleOwners } from '../records/record-access.js';
import { renderRecords } from '../search/render-records.js';
import type { SearchDeps } from '../search/search-records.js';
import { coqlErrors } from './coql-errors.js';
import { COQL_LIMITS, type CoqlJoin, compileCoql } from './coql-filter.js';
import { type CoqlQuery, CoqlSyntaxError, parseCoql } from './coql-parser.js';

export const COQL_SCOPE = 'zohobigin.coql.read';

/** The modules COQL reads: those Bigin's get-records-coql page names a scope for. */
export const COQL_MODULES: readonly ModuleApiName[] = [
  'Pipelines',
  'Contacts',
  'Accounts',
  'Products',
  'Calls',
  'Events',
  'Tasks',
];

export interface CoqlAnswer {
  data: Record<string, unknown>[];
  info: { count: number; more_records: boolean };
}

export type CoqlDeps = SearchDeps;

const moduleScopes = new Map<ModuleApiName, string[]>();

/** The module side of the scope pair: `ZohoBigin.modules.ALL`, `.{m}.ALL` or `.{m}.READ`. */
function hasModuleScope(principal: Principal, module: ModuleApiName): boolean {
  let scopes = moduleScopes.get(module);
  if (!scopes) {
    scopes = recordScopes(module, 'READ').map((s) => s.toLowerCase());
    moduleScopes.set(module, scopes);
  }
  return scopes.some((s) => principal.scopes.has(s));
}

/**
 * The joined fields of each shown record, by record id and join key: the looked-up record
 * rendered as a read would render it, or null when it is gone, not visible to the caller, or in
 * a module the caller's profile cannot view.
 */
async function joinedValues(
  deps: CoqlDeps,
  principal: Principal,
  owners: Set<string> | null,
  rows: readonly StoredRecord[],
  joins: readonly CoqlJoin[],
): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>(rows.map((r) => [r.id, {}]));
  const idOf = (r: StoredRecord, lookup: string) => {
    const v = r.fields[lookup];
    const id = typeof v === 'object' && v !== null ? (v as { id?: unknown }).id : undefined;
    return typeof id === 'string' ? id : null;
  };
  for (const lookup of new Set(joins.map((j) => j.lookup))) {
    const mine = joins.filter((j) => j.lookup === lookup);
    const module = mine[0]!.module;
    const ids = [...new Set(rows.map((r) => idOf(r, lookup)).filter((id): id is string => id !== null))];
    const found =
      ids.length === 0 || moduleAccessRefusal(principal, module)
        ? new Map<string, StoredRecord>()
        : await deps.recordData.findLive(principal.orgId, module, ids);
    const shown = [...found.values()].filter((r) => isVisible(owners, r.ownerId));
    const rendered = (await renderRecords(
      deps,
      principal,
      shown,
      new Set(mine.map((j) => j.field)),
    )) as Record<string, unknown>[];
    const byId = new Map(rendered.map((r) => [String(r.id), r]));
    for (const row of rows) {
      const target = byId.get(idOf(row, lookup) ?? '');
      for (const j of mine) out.get(row.id)![j.key] = target?.[j.field] ?? null;
    }
  }
  return out;
}

function parse(selectQuery: string): CoqlQuery {
  try {
    return parseCoql(selectQuery);
  } catch (error) {
    if (error instanceof CoqlSyntaxError) throw coqlErrors.syntax(error.reason, error.position, error.near);
    throw error;
  }
}

/**
 * POST /bigin/v2/coql (docs/coql.md): the token needs `ZohoBigin.coql.READ` (checked before the
 * body is read) and a read scope of the queried module; a module the caller's profile cannot see
 * is as unknown as one that does not exist. The records are those the caller may see (the
 * visibility of search), in the query's order; null (204) when none matches.
 */
export async function runCoql(
  deps: CoqlDeps,
  principal: Principal,
  readBody: () => Promise<unknown>,
): Promise<CoqlAnswer | null> {
  if (!principal.scopes.has(COQL_SCOPE)) throw errors.scopeMismatch();
  const body = await readBody();
  const raw =
    typeof body === 'object' && body !== null && !Array.isArray(body)
      ? (body as Record<string, unknown>).select_query
      : undefined;
  if (raw === undefined || raw === null) throw coqlErrors.selectQueryMissing();
  if (typeof raw !== 'string') throw coqlErrors.selectQueryNotText();
  const query = parse(raw);
  const name = query.from.name;
  const module = findModule(name)?.apiName;
  if (!module || !COQL_MODULES.includes(module)) throw coqlErrors.invalidModule(name);
  if (!hasModuleScope(principal, module)) throw errors.scopeMismatch();
  if (moduleAccessRefusal(principal, module)) throw coqlErrors.invalidModule(name);
  const compiled = compileCoql(query, module, await deps.directory.customization(principal.orgId));
  const owners = await visibleOwners(deps, principal);
  const rows = await deps.recordSearch.search({
    orgId: principal.orgId,
    module,
    filter: compiled.filter,
    ownerIds: owners === null ? null : [...owners],
    order: compiled.order,
    limit: compiled.limit + 1,
    offset: compiled.offset,
  });
  if (rows.length === 0) return null;
  const shown = rows.slice(0, compiled.limit);
  const rendered = (await renderRecords(deps, principal, shown, new Set(compiled.select))) as Record<
    string,
    unknown
  >[];
  const joined = compiled.joins.length
    ? await joinedValues(deps, principal, owners, shown, compiled.joins)
    : null;
  const data = rendered.map((record) => {
    // The selected fields and `id`, lookups as their id alone (Zoho's COQL answers).
    const out: Record<string, unknown> = { id: record.id };
    for (const field of compiled.select) {
      const value = record[field];
      out[field] =
        compiled.lookups.has(field) && typeof value === 'object' && value !== null && 'id' in value
          ? { id: (value as { id: unknown }).id }
          : (value ?? null);
    }
    if (joined) Object.assign(out, joined.get(String(record.id)));
    return out;
  });
  const more = rows.length > compiled.limit && compiled.offset + compiled.limit < COQL_LIMITS.total;
  return { data, info: { count: shown.length, more_records: more } };
}
