import type { Clock } from '../clock.js';
import { errors } from '../errors.js';
import type { Principal } from '../model.js';
import type { RecordFilter, RecordSearchRepository } from '../ports.js';
import {
  authorizeRecordOperation,
  resolveRecordModule,
  type VisibilityDeps,
  visibleOwners,
} from '../records/record-access.js';
import { anyFieldEquals, criteriaFilter, wordFilter } from './build-filter.js';
import { parseFieldsParam, positiveIntParam, type RenderDeps, renderRecords } from './render-records.js';
import { searchErrors } from './search-errors.js';

export interface SearchDeps extends VisibilityDeps, RenderDeps {
  recordSearch: RecordSearchRepository;
  clock: Clock;
}

/** Search reaches at most this many records through page/per_page. */
export const SEARCH_RECORD_LIMIT = 2000;
export const SEARCH_MAX_PER_PAGE = 200;
export const SEARCH_SCOPE = 'zohosearch.securesearch.read';

export interface SearchPage {
  data: unknown[];
  info: {
    per_page: number;
    count: number;
    sort_by: 'id';
    page: number;
    sort_order: 'desc';
    more_records: boolean;
  };
}

/**
 * v2 lists scope pairs for search: `ZohoBigin.modules.{m}.ALL|READ` and
 * `ZohoSearch.securesearch.READ`, with no `ZohoBigin.modules.ALL` option. v1 (`singleScope`)
 * asks for one module scope, as every other records call does.
 */
function checkSearchScopes(principal: Principal, moduleName: string, singleScope: boolean): void {
  if (singleScope) return;
  const module = resolveRecordModule(moduleName);
  const scopeName = module === 'Accounts' ? 'accounts' : module.toLowerCase();
  const moduleSide = [`zohobigin.modules.${scopeName}.all`, `zohobigin.modules.${scopeName}.read`];
  if (!principal.scopes.has(SEARCH_SCOPE) || !moduleSide.some((s) => principal.scopes.has(s)))
    throw errors.scopeMismatch();
}

/**
 * GET /bigin/v2/{module}/search (docs/search.md): one of `criteria`, `email`, `phone`, `word`
 * (in that precedence), the records the caller may see, newest first, `page`/`per_page` up to
 * 2,000 records; null (204) when nothing matches.
 */
export async function searchRecords(
  deps: SearchDeps,
  principal: Principal,
  moduleName: string,
  query: Record<string, string | undefined>,
  options: { singleScope?: boolean } = {},
): Promise<SearchPage | null> {
  resolveRecordModule(moduleName);
  checkSearchScopes(principal, moduleName, options.singleScope ?? false);
  const module = authorizeRecordOperation(principal, moduleName, 'READ');
  let filter: RecordFilter;
  if (query.criteria !== undefined) filter = criteriaFilter(module, query.criteria);
  else if (query.email !== undefined) filter = anyFieldEquals(module, ['email'], query.email.trim());
  else if (query.phone !== undefined) filter = anyFieldEquals(module, ['phone'], query.phone.trim());
  else if (query.word !== undefined) {
    const word = query.word.trim();
    if ([...word].length < 2) throw searchErrors.tooShort('word');
    filter = wordFilter(word);
  } else throw searchErrors.paramMissing();
  const only = parseFieldsParam(query.fields);
  const perPage = positiveIntParam(query, 'per_page', SEARCH_MAX_PER_PAGE, SEARCH_MAX_PER_PAGE);
  const page = positiveIntParam(query, 'page', 1);
  if (page * perPage > SEARCH_RECORD_LIMIT) throw searchErrors.limitReached(SEARCH_RECORD_LIMIT);
  const owners = await visibleOwners(deps, principal);
  const rows = await deps.recordSearch.search({
    orgId: principal.orgId,
    module,
    filter,
    ownerIds: owners === null ? null : [...owners],
    limit: perPage + 1,
    offset: (page - 1) * perPage,
  });
  if (rows.length === 0) return null;
  const more = rows.length > perPage && page * perPage < SEARCH_RECORD_LIMIT;
  const shown = rows.slice(0, perPage);
  return {
    data: await renderRecords(deps, principal, shown, only),
    // Key order as recorded from the real service.
    info: {
      per_page: perPage,
      count: shown.length,
      sort_by: 'id',
      page,
      sort_order: 'desc',
      more_records: more,
    },
  };
}
