/**
 * The self-hosted server's admin API (docs/admin-api.md): the request journal, fault rules and
 * API credits. Not part of Bigin: only the self-hosted server answers it.
 */
export interface AdminClientOptions {
  /** The server's base URL (its `PORT`), e.g. http://127.0.0.1:8080. */
  url: string;
  /** The server's ADMIN_KEY. */
  key: string;
  fetch?: typeof fetch;
}

export class AdminApiError extends Error {
  override name = 'AdminApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface JournalEntry {
  seq: number;
  requestId: string;
  at: string;
  dataCenter: string | null;
  orgId: string | null;
  userId: string | null;
  clientId: string | null;
  method: string;
  path: string;
  query: string;
  status: number;
  code: string | null;
  rule: string | null;
  fault: string | null;
  latencyMs: number;
  requestBody: string | null;
  responseBody: string | null;
}

export interface JournalQuery {
  org?: string;
  path?: string;
  /** `404` or a class such as `4xx`. */
  status?: string;
  code?: string;
  method?: string;
  rule?: string;
  from?: string;
  to?: string;
  before?: number;
  limit?: number;
}

export type FaultAnswer =
  | { kind: 'error'; code: string; details?: Record<string, unknown> }
  | { kind: 'delay'; ms: number }
  | { kind: 'reset' }
  | { kind: 'truncate'; bytes?: number }
  | { kind: 'proxy'; status: 502 | 503 | 504 };

export interface FaultRuleInput {
  match?: {
    dataCenter?: string;
    orgId?: string;
    method?: string;
    path?: string;
    module?: string;
    token?: string;
  };
  answer: FaultAnswer;
  skip?: number;
  times?: number | null;
  probability?: number;
  seed?: number;
}

export interface OrgLimitsInput {
  enabled?: boolean;
  edition?: 'free' | 'paid';
  licences?: number;
  concurrency?: number | null;
}

export interface OrganizationDetail {
  organization: {
    id: string;
    name: string;
    dataCenter: string;
    createdAt: string;
    disabledModules: string[];
    baseline: 'fixture' | 'created' | null;
    urls: { api: string; accounts: string };
  };
  /** The server's clock (virtual or real) when it answered. */
  now: string;
  users: Array<{
    id: string;
    name: string;
    email: string;
    profile: string;
    role: string;
    timeZone: string;
    active: boolean;
    canSignIn: boolean;
  }>;
  tokens: Array<{
    /** The first 16 hex digits of the token's SHA-256: a handle, not a credential. */
    id: string;
    user: string;
    client: string | null;
    scope: string;
    dataCenter: string;
    createdAt: string;
    expiresAt: string;
    revokedAt: string | null;
    state: 'active' | 'expired' | 'revoked';
    fromRefreshToken: boolean;
  }>;
  clients: Array<{ id: string; name: string; type: string; redirectUris: string[]; createdAt: string }>;
}

export interface RecycleBin {
  attachments: Array<{
    id: string;
    record: string;
    module: string;
    fileName: string;
    size: number;
    deletedAt: string;
    deletedBy: string | null;
    purgeAfter: string;
  }>;
  records: Array<{
    id: string;
    module: string;
    name: string;
    deletedAt: string;
    deletedBy: string | null;
    purgeAfter: string;
  }>;
}

export interface NotificationChannel {
  channelId: string;
  user: string;
  notifyUrl: string;
  hasToken: boolean;
  events: Array<{ module: string; operation: string }>;
  expiresAt: string;
  expired: boolean;
  createdAt: string;
}

export class AdminClient {
  readonly #url: string;
  readonly #key: string;
  readonly #fetch: typeof fetch;

  constructor(options: AdminClientOptions) {
    this.#url = options.url.replace(/\/+$/, '');
    this.#key = options.key;
    this.#fetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => globalThis.fetch(...args));
  }

  async #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.#fetch(`${this.#url}/_admin${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.#key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await res.json().catch(() => ({}))) as {
      error?: { code?: string; message?: string };
      code?: string;
      message?: string;
    };
    if (!res.ok) {
      const code = json.error?.code ?? json.code ?? `HTTP_${res.status}`;
      throw new AdminApiError(res.status, code, json.error?.message ?? json.message ?? res.statusText);
    }
    return json as T;
  }

  journal(query: JournalQuery = {}): Promise<{ entries: JournalEntry[]; next: number | null }> {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) q.set(k, String(v));
    const qs = q.toString();
    return this.#call('GET', `/journal${qs ? `?${qs}` : ''}`);
  }

  /** Each finished request matching `query`, as it happens, until `signal` aborts. */
  async *followJournal(query: JournalQuery = {}, signal?: AbortSignal): AsyncGenerator<JournalEntry> {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && k !== 'limit') q.set(k, String(v));
    const res = await this.#fetch(`${this.#url}/_admin/journal/stream?${q}`, {
      headers: { authorization: `Bearer ${this.#key}` },
      ...(signal ? { signal } : {}),
    });
    if (!res.ok || !res.body)
      throw new AdminApiError(res.status, `HTTP_${res.status}`, 'journal stream refused');
    const decoder = new TextDecoder();
    let buffered = '';
    for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
      buffered += decoder.decode(chunk, { stream: true });
      let end = buffered.indexOf('\n\n');
      while (end >= 0) {
        const event = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        const data = event.split('\n').find((l) => l.startsWith('data: '));
        if (data) yield JSON.parse(data.slice(6)) as JournalEntry;
        end = buffered.indexOf('\n\n');
      }
    }
  }

  addFault(rule: FaultRuleInput): Promise<Record<string, unknown> & { id: string }> {
    return this.#call('POST', '/faults', rule);
  }

  faults(): Promise<{ rules: Array<Record<string, unknown>> }> {
    return this.#call('GET', '/faults');
  }

  removeFault(id: string): Promise<unknown> {
    return this.#call('DELETE', `/faults/${encodeURIComponent(id)}`);
  }

  clearFaults(): Promise<unknown> {
    return this.#call('DELETE', '/faults');
  }

  credits(orgId: string): Promise<Record<string, unknown>> {
    return this.#call('GET', `/credits/${encodeURIComponent(orgId)}`);
  }

  setLimits(orgId: string, limits: OrgLimitsInput): Promise<Record<string, unknown>> {
    return this.#call('PUT', `/credits/${encodeURIComponent(orgId)}`, limits);
  }

  /** One organisation as the console shows it: users, tokens (state on the server's clock), clients. */
  organization(orgId: string): Promise<OrganizationDetail> {
    return this.#call('GET', `/organizations/${encodeURIComponent(orgId)}`);
  }

  /** Revokes an access token by its handle (`tokens[].id` of `organization`); the next call with it is refused. */
  revokeToken(orgId: string, tokenId: string): Promise<{ id: string; state: 'revoked'; revokedAt: string }> {
    return this.#call(
      'POST',
      `/organizations/${encodeURIComponent(orgId)}/tokens/${encodeURIComponent(tokenId)}/revoke`,
    );
  }

  /** Deleted attachments and records awaiting purge, most recently deleted first. */
  recycleBin(orgId: string, page: { limit?: number; offset?: number } = {}): Promise<RecycleBin> {
    const q = new URLSearchParams();
    if (page.limit !== undefined) q.set('limit', String(page.limit));
    if (page.offset !== undefined) q.set('offset', String(page.offset));
    const qs = q.toString();
    return this.#call('GET', `/organizations/${encodeURIComponent(orgId)}/recycle-bin${qs ? `?${qs}` : ''}`);
  }

  /** Brings back an attachment (`kind` attachments) or a record with what its delete took along. */
  restore(
    orgId: string,
    kind: 'attachments' | 'records',
    id: string,
  ): Promise<{ restored: string; records?: number; attachments?: number }> {
    return this.#call(
      'POST',
      `/organizations/${encodeURIComponent(orgId)}/recycle-bin/${kind}/${encodeURIComponent(id)}/restore`,
    );
  }

  /** Every notification channel of the organisation's users. */
  notificationChannels(orgId: string): Promise<{ channels: NotificationChannel[] }> {
    return this.#call('GET', `/organizations/${encodeURIComponent(orgId)}/notifications/channels`);
  }

  /** Recent notification callbacks, newest first. */
  notificationDeliveries(
    query: { org?: string; channelId?: string; limit?: number } = {},
  ): Promise<{ deliveries: Array<Record<string, unknown>> }> {
    const q = new URLSearchParams();
    if (query.org) q.set('org', query.org);
    if (query.channelId) q.set('channel_id', query.channelId);
    if (query.limit !== undefined) q.set('limit', String(query.limit));
    const qs = q.toString();
    return this.#call('GET', `/notifications/deliveries${qs ? `?${qs}` : ''}`);
  }
}
