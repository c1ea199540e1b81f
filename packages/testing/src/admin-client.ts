/**
 * A plain-HTTP client for the server's admin API (docs/admin-api.md), for suites that run the
 * server as a process or a container: `createAdminClient({ url, key })`. `startBigin` uses the
 * same client in-process. No dependency beyond `fetch`.
 */

export type ClockMode = 'real' | 'frozen' | 'offset';

export interface ClockState {
  mode: ClockMode;
  /** ISO 8601 instant the server reads now. */
  now: string;
  nowMs: number;
  offsetMs: number;
  /** After a move: each due-work pass (purge, …) that ran, in order. */
  dueWork?: Array<{ name: string; ok: boolean; error?: string }>;
}

export interface OrganizationTokenInfo {
  token: string;
  user: string;
  scope: string;
  expiresAt: string;
}

/** What creating an organisation answers: its ids, its tokens (in plain text, only now), its URLs. */
export interface CreatedOrganization {
  organization: { id: string; name: string; dataCenter: string };
  urls: { api: string; accounts: string };
  users: Array<{ id: string; name: string; email: string; profile: string; role: string }>;
  tokens: OrganizationTokenInfo[];
  records: Array<{ id: string; module: string }>;
  attachments: Array<{ id: string; record: string }>;
}

export interface OrganizationSummary {
  id: string;
  name: string;
  dataCenter: string;
  createdAt: string;
  baseline: 'fixture' | 'created' | null;
  urls: { api: string; accounts: string };
}

export interface CreateTokenOptions {
  user?: string;
  scope?: string;
  expiresIn?: number;
  expiresAt?: string;
  dataCenter?: string;
  client?: string;
  token?: string;
  /** Also mint a refresh token of `client` (as a consent would); the answer carries it. */
  refresh?: boolean;
}

export interface CreatedToken {
  token: string;
  refreshToken?: string;
  user: string;
  scope: string;
  dataCenter: string;
  expiresAt: string;
  urls: { api: string; accounts: string };
}

export interface CreateUserOptions {
  id?: string;
  name: string;
  email: string;
  profile?: string;
  role?: string;
  active?: boolean;
  timeZone?: string;
  password?: string;
}

export interface CreateClientOptions {
  id?: string;
  name?: string;
  secret?: string;
  redirectUris?: string[];
  type?: 'server' | 'self';
}

/** An exported organisation: pass it to `importOrganization` as it is. */
export type OrganizationExport = { format: 'bigin-attachments/organization'; organization: string } & Record<
  string,
  unknown
>;

/** A refusal of the admin API: its own envelope `{ error: { code, message, details } }`. */
export class AdminApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown>,
  ) {
    super(`${code}: ${message}`);
    this.name = 'AdminApiError';
  }
}

export interface AdminClientOptions {
  /** Base URL of the server's PORT, e.g. `http://127.0.0.1:8080`. */
  url: string;
  /** The server's ADMIN_KEY. */
  key: string;
}

export function createAdminClient(options: AdminClientOptions) {
  const base = options.url.replace(/\/+$/, '');
  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${base}/_admin${path}`, {
      method,
      headers: {
        authorization: `Bearer ${options.key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new AdminApiError(
        res.status,
        'ADMIN_NOT_JSON',
        `the server answered ${res.status} without JSON`,
        {},
      );
    }
    if (!res.ok) {
      const e = (json as { error?: { code?: string; message?: string; details?: Record<string, unknown> } })
        .error;
      throw new AdminApiError(res.status, e?.code ?? 'UNKNOWN', e?.message ?? text, e?.details ?? {});
    }
    return json as T;
  }
  const org = (id: string) => `/organizations/${encodeURIComponent(id)}`;
  return {
    status: () => request<{ status: 'ok'; now: string }>('GET', '/status'),
    clock: {
      get: () => request<ClockState>('GET', '/clock'),
      /** `{ mode: 'frozen', at? }`, `{ mode: 'offset', offsetMs | at }`, `{ mode: 'real' }`, or `{ at }`. */
      set: (state: { mode?: ClockMode; at?: string | Date; offsetMs?: number }) =>
        request<ClockState>('PUT', '/clock', {
          ...state,
          ...(state.at instanceof Date ? { at: state.at.toISOString() } : {}),
        }),
      /** `'1h'`, `'30d'`, `'1h30m'`, `'250ms'` or milliseconds. */
      advance: (by: string | number) =>
        request<ClockState>('POST', '/clock/advance', typeof by === 'number' ? { ms: by } : { by }),
    },
    listOrganizations: async () =>
      (await request<{ organizations: OrganizationSummary[] }>('GET', '/organizations')).organizations,
    createOrganization: (
      body: { organization?: Record<string, unknown>; from?: string; clients?: unknown[] } = {},
    ) => request<CreatedOrganization>('POST', '/organizations', body),
    deleteOrganization: (id: string) => request<{ deleted: string }>('DELETE', org(id)),
    resetOrganization: (id: string) => request<{ reset: string }>('POST', `${org(id)}/reset`),
    resetAll: () => request<{ restored: string[]; removed: string[] }>('POST', '/reset'),
    loadFixture: (fixture: unknown) =>
      request<{ inserted: Record<string, number>; organizations: string[] }>('POST', '/fixtures', fixture),
    createUser: (orgId: string, user: CreateUserOptions) =>
      request<{ id: string; name: string; email: string; profile: string; role: string }>(
        'POST',
        `${org(orgId)}/users`,
        user,
      ),
    createToken: (orgId: string, token: CreateTokenOptions = {}) =>
      request<CreatedToken>('POST', `${org(orgId)}/tokens`, token),
    createClient: (client: CreateClientOptions = {}) =>
      request<{ id: string; secret: string; name: string; type: string; redirectUris: string[] }>(
        'POST',
        '/clients',
        client,
      ),
    purge: () => request<{ purged: true; at: string }>('POST', '/purge'),
    exportOrganization: (id: string) => request<OrganizationExport>('GET', `${org(id)}/export`),
    importOrganization: (snapshot: OrganizationExport, options: { replace?: boolean } = {}) =>
      request<{ imported: string }>(
        'POST',
        `/organizations/import${options.replace ? '?replace=true' : ''}`,
        snapshot,
      ),
  };
}

export type AdminClient = ReturnType<typeof createAdminClient>;
