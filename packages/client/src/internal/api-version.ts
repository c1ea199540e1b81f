/** Which Bigin API path family the client calls (docs/v1.md). */
export type ApiVersion = 'v1' | 'v2';

const V2 = '/bigin/v2/';

/**
 * A v2 path as `version` spells it. Resources build v2 paths; on v1 they become `/bigin/v1/…`
 * with Pipelines named `Deals` (in the module and related-list segments alike: ids are digits, so
 * no other segment can be `Pipelines`). Metadata (`settings/…`) and COQL have no v1 twin and stay v2.
 */
export function versionedPath(path: string, version: ApiVersion): string {
  if (version === 'v2' || !path.startsWith(V2) || path.startsWith(`${V2}settings/`) || path === `${V2}coql`)
    return path;
  const segments = path.slice(V2.length).split('/');
  return `/bigin/v1/${segments.map((s) => (s === 'Pipelines' ? 'Deals' : s)).join('/')}`;
}
