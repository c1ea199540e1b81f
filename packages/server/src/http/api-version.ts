/**
 * What distinguishes `/bigin/v1/` from `/bigin/v2/` (docs/v1.md, decision D17). Both versions
 * run the same routes and the same domain functions; a route is registered once per version with
 * one of these descriptors, and everything a version changes is said here and nowhere else.
 */
export interface ApiVersion {
  readonly id: 'v1' | 'v2';
  readonly prefix: '/bigin/v1' | '/bigin/v2';
  /**
   * The v2 API name for a module name in this version's URLs: v1's `Deals` is v2's `Pipelines`.
   * Unknown names go through unchanged (the module check refuses them as it always does); null
   * means a name this version does not have although v2 does (`Pipelines` on v1).
   */
  moduleName(segment: string): string | null;
  /** A module's name as this version writes it in answers (v2 `Pipelines` is v1 `Deals`). */
  publicModuleName(apiName: string): string;
  /** The token's scopes as the (v2) rules read them: v1 scope names mapped onto v2's. */
  scopes(scopes: ReadonlySet<string>): ReadonlySet<string>;
  /** Whether search needs only a module read scope, not v2's pair with `ZohoSearch.securesearch.READ`. */
  readonly searchSingleScope: boolean;
  /** Whether `POST /coql` is served (Bigin documents COQL on v2 only; docs/coql.md). */
  readonly coql: boolean;
  /** The `info` block of every list (records, search, related records) as this version writes it. */
  listInfo(info: object): Record<string, unknown>;
  /** Lifetime of a channel subscribed without `channel_expiry`; `configured` is the v2 setting. */
  watchDefaultExpiryMs(configured: number): number;
}

export const V2: ApiVersion = {
  id: 'v2',
  prefix: '/bigin/v2',
  moduleName: (segment) => segment,
  publicModuleName: (apiName) => apiName,
  scopes: (scopes) => scopes,
  searchSingleScope: false,
  coql: true,
  listInfo: (info) => info as Record<string, unknown>,
  watchDefaultExpiryMs: (configured) => configured,
};

/** v1 module names that v2 spells otherwise (reference §16: Pipelines is `Deals`, Accounts are Companies). */
const V1_MODULE_ALIASES: Readonly<Record<string, string>> = { Deals: 'Pipelines', Companies: 'Accounts' };
/** v1 scope segments written otherwise in v2 (v1 pages write both `accounts` and `companies`). */
const V1_SCOPE_ALIASES: ReadonlyArray<[v1: string, v2: string]> = [
  ['zohobigin.modules.deals.', 'zohobigin.modules.pipelines.'],
  ['zohobigin.modules.companies.', 'zohobigin.modules.accounts.'],
];
/** The 4 keys of a v1 list's `info` (D17: CRM v2's set; v1 has no page tokens and no sort keys in `info`). */
const V1_INFO_KEYS = ['per_page', 'count', 'page', 'more_records'] as const;
/** Bigin v1 documents one hour (reference §12). */
const V1_WATCH_DEFAULT_EXPIRY_MS = 3_600_000;

export const V1: ApiVersion = {
  id: 'v1',
  prefix: '/bigin/v1',
  moduleName: (segment) => (segment === 'Pipelines' ? null : (V1_MODULE_ALIASES[segment] ?? segment)),
  publicModuleName: (apiName) => (apiName === 'Pipelines' ? 'Deals' : apiName),
  scopes: (scopes) => {
    const added: string[] = [];
    for (const scope of scopes)
      for (const [v1, v2] of V1_SCOPE_ALIASES)
        if (scope.startsWith(v1)) added.push(v2 + scope.slice(v1.length));
    return added.length === 0 ? scopes : new Set([...scopes, ...added]);
  },
  searchSingleScope: true,
  coql: false,
  listInfo: (info) => {
    const out: Record<string, unknown> = {};
    for (const key of V1_INFO_KEYS) if (key in info) out[key] = (info as Record<string, unknown>)[key];
    return out;
  },
  watchDefaultExpiryMs: () => V1_WATCH_DEFAULT_EXPIRY_MS,
};

export const API_VERSIONS: readonly ApiVersion[] = [V2, V1];
