import { type DataCenterId, findDataCenter, isDataCenterId } from '@bigin-attachments/contract';
import { RefreshTokenAuth, type RefreshTokenAuthOptions, StaticToken, type TokenSource } from './auth.js';
import type { ApiVersion } from './internal/api-version.js';
import { abortableSleep, DEFAULT_RETRY, type RetrySettings } from './internal/retry.js';
import { SDK_VERSION, Transport } from './internal/transport.js';
import { Attachments } from './resources/attachments.js';
import { Coql } from './resources/coql.js';
import { Settings, Users } from './resources/directory.js';
import { Notifications } from './resources/notifications.js';
import { Photos } from './resources/photos.js';
import { Records } from './resources/records.js';
import { Tags } from './resources/tags.js';

/** Where the organisation lives: a data center, or explicit URLs (this self-hosted server). */
export type Endpoint = { dataCenter: DataCenterId } | { apiDomain: string; accountsServer?: string };

/** A fixed access token, refresh credentials, or any TokenSource. */
export type Auth = string | { accessToken: string } | RefreshTokenAuthOptions | TokenSource;

export interface ClientOptions {
  /**
   * `v2` (default) or `v1`: the same methods on `/bigin/v1/…` paths, Pipelines named `Deals` there
   * (docs/v1.md). Metadata (`settings`) stays on v2, which v1 does not serve.
   */
  apiVersion?: ApiVersion;
  /** Milliseconds per attempt. Default 60 000. */
  timeout?: number;
  /** Retries of retryable failures. Default 2. */
  maxRetries?: number;
  /** Backoff tuning. */
  retry?: Partial<RetrySettings>;
  /** A custom fetch (proxies, tests). Default: the global fetch. */
  fetch?: typeof fetch;
  /** Headers sent on every call. */
  defaultHeaders?: Record<string, string>;
  /** For tests: how to wait between retries, and the randomness of the jitter. */
  sleep?: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
  random?: () => number;
}

function resolveEndpoint(endpoint: Endpoint): { apiDomain: string; accountsServer: string | undefined } {
  if ('dataCenter' in endpoint) {
    const id = String(endpoint.dataCenter).toLowerCase();
    if (!isDataCenterId(id)) throw new TypeError(`unknown data center "${endpoint.dataCenter}"`);
    const dc = findDataCenter(id);
    return { apiDomain: dc.apiDomain, accountsServer: dc.accountsServer };
  }
  if (!endpoint.apiDomain) throw new TypeError('apiDomain is required');
  return { apiDomain: endpoint.apiDomain.replace(/\/+$/, ''), accountsServer: endpoint.accountsServer };
}

function toTokenSource(auth: Auth, fetchImpl: typeof fetch | undefined): TokenSource {
  if (typeof auth === 'string') return new StaticToken(auth);
  if ('getToken' in auth && typeof auth.getToken === 'function') return auth;
  if ('refreshToken' in auth)
    return new RefreshTokenAuth({ ...(fetchImpl ? { fetch: fetchImpl } : {}), ...auth });
  if ('accessToken' in auth && typeof auth.accessToken === 'string') return new StaticToken(auth.accessToken);
  throw new TypeError('auth must be an access token, refresh-token credentials or a TokenSource');
}

/**
 * The Bigin v2 client.
 *
 * ```ts
 * const bigin = new BiginClient({ dataCenter: 'eu' }, process.env.BIGIN_ACCESS_TOKEN!);
 * await bigin.attachments.delete('Pipelines', '2034020000000489124', '2034020000000711008');
 * ```
 */
export class BiginClient {
  readonly attachments: Attachments;
  readonly records: Records;
  readonly notifications: Notifications;
  /** GET /users, /users/{id}. */
  readonly users: Users;
  /** GET /org, /settings/profiles, /settings/roles and module, field, layout, related-list metadata. */
  readonly settings: Settings;
  /** A module's tags (docs/tags.md); tagging records is `records.addTags` / `removeTags`. */
  readonly tags: Tags;
  /** COQL queries (docs/coql.md): `query` for one call, `iterate` for every page. */
  readonly coql: Coql;
  /** Record photos (Contacts, Accounts, Products) and the organisation photo (docs/photos.md). */
  readonly photos: Photos;
  readonly #transport: Transport;
  readonly accountsServer: string | undefined;

  constructor(endpoint: Endpoint, auth: Auth, options: ClientOptions = {}) {
    const { apiDomain, accountsServer } = resolveEndpoint(endpoint);
    this.accountsServer = accountsServer;
    const fetchImpl = options.fetch ?? ((...args: Parameters<typeof fetch>) => globalThis.fetch(...args));
    const source = toTokenSource(auth, options.fetch);
    const apiVersion = options.apiVersion ?? 'v2';
    if (apiVersion !== 'v1' && apiVersion !== 'v2')
      throw new TypeError(`unknown API version "${apiVersion}"`);
    this.#transport = new Transport({
      apiDomain,
      apiVersion,
      fetch: fetchImpl,
      auth: source,
      timeout: options.timeout ?? 60_000,
      maxRetries: options.maxRetries ?? 2,
      retry: { ...DEFAULT_RETRY, ...options.retry },
      sleep: options.sleep ?? abortableSleep,
      random: options.random ?? Math.random,
      now: Date.now,
      defaultHeaders: options.defaultHeaders ?? {},
    });
    source.bind?.({
      accountsServer: accountsServer ?? apiDomain,
      fetch: fetchImpl,
      // The token response names the API domain of the organisation's data center.
      onApiDomain: (domain) => {
        this.#transport.settings.apiDomain = domain.replace(/\/+$/, '');
      },
    });
    this.attachments = new Attachments(this.#transport);
    this.records = new Records(this.#transport);
    this.notifications = new Notifications(this.#transport);
    this.users = new Users(this.#transport);
    this.settings = new Settings(this.#transport);
    this.tags = new Tags(this.#transport);
    this.coql = new Coql(this.#transport);
    this.photos = new Photos(this.#transport);
  }

  /** The API path family calls go to: `v2`, or `v1` (`/bigin/v1/…`). */
  get apiVersion(): ApiVersion {
    return this.#transport.settings.apiVersion;
  }

  /** The API domain calls go to (changes when a token response names another). */
  get apiDomain(): string {
    return this.#transport.settings.apiDomain;
  }

  static readonly VERSION = SDK_VERSION;
}
