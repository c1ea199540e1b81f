import { APIConnectionError, APIUserAbortError, OAuthError } from './errors.js';
import { redact, sanitizedCause } from './internal/redact.js';

/** What Zoho Accounts answers to a successful token request. */
export interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  api_domain?: string;
  token_type?: string;
  expires_in?: number;
  scope?: string;
}

/** Tokens after a refresh, for callers that persist them (the CLI does). */
export interface RefreshedTokens {
  accessToken: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  apiDomain: string | undefined;
}

export interface RefreshTokenAuthOptions {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  /** A cached access token to start with, and when it expires (epoch ms). */
  accessToken?: string;
  expiresAt?: number;
  /** Defaults to the client's accounts server. */
  accountsServer?: string;
  /** Refresh this long before expiry. Default 60 000 ms. */
  refreshMarginMs?: number;
  /** Called after each successful refresh (persist the access token here). */
  onRefresh?: (tokens: RefreshedTokens) => void | Promise<void>;
  fetch?: typeof fetch;
  /** Clock, for tests. Default `Date.now`. */
  now?: () => number;
}

/** Supplies access tokens to the client. */
export interface TokenSource {
  /** A usable token, refreshing first when it is missing or about to expire. */
  getToken(signal?: AbortSignal): Promise<string>;
  /**
   * The API answered INVALID_TOKEN for `stale`. Returns true if a fresh token may now be had
   * (the caller retries once), false when nothing can be done (a fixed token).
   */
  invalidate(stale: string): boolean;
  /** Called by the client so the source can use its accounts server and report `api_domain`. */
  bind?(binding: {
    accountsServer: string;
    fetch: typeof fetch;
    onApiDomain: (domain: string) => void;
  }): void;
  /** Secrets to redact from anything the client reports. */
  readonly secrets: readonly string[];
}

/** A fixed access token: never refreshed; INVALID_TOKEN surfaces as InvalidTokenError. */
export class StaticToken implements TokenSource {
  readonly #token: string;
  constructor(token: string) {
    this.#token = token;
  }
  async getToken(): Promise<string> {
    return this.#token;
  }
  invalidate(): boolean {
    return false;
  }
  get secrets(): readonly string[] {
    return [this.#token];
  }
}

/**
 * Client id/secret + refresh token. Refreshes before expiry and once when the API rejects the
 * token; concurrent callers share one in-flight refresh, so a burst of 401s costs one token call
 * (Zoho allows only ten access tokens per refresh token per ten minutes).
 */
export class RefreshTokenAuth implements TokenSource {
  #accessToken: string | undefined;
  #expiresAt: number;
  #inFlight: Promise<string> | undefined;
  #accountsServer: string | undefined;
  #fetch: typeof fetch;
  #onApiDomain: ((domain: string) => void) | undefined;
  readonly #options: RefreshTokenAuthOptions;
  readonly #now: () => number;

  constructor(options: RefreshTokenAuthOptions) {
    this.#options = options;
    this.#accessToken = options.accessToken;
    this.#expiresAt = options.expiresAt ?? (options.accessToken ? Number.POSITIVE_INFINITY : 0);
    this.#accountsServer = options.accountsServer;
    this.#fetch = options.fetch ?? ((...args) => globalThis.fetch(...args));
    this.#now = options.now ?? Date.now;
  }

  bind(binding: {
    accountsServer: string;
    fetch: typeof fetch;
    onApiDomain: (domain: string) => void;
  }): void {
    this.#accountsServer ??= binding.accountsServer;
    if (!this.#options.fetch) this.#fetch = binding.fetch;
    this.#onApiDomain = binding.onApiDomain;
  }

  get secrets(): readonly string[] {
    return [this.#options.clientSecret, this.#options.refreshToken, this.#accessToken ?? ''].filter(Boolean);
  }

  async getToken(signal?: AbortSignal): Promise<string> {
    const margin = this.#options.refreshMarginMs ?? 60_000;
    if (this.#accessToken && this.#now() < this.#expiresAt - margin) return this.#accessToken;
    return this.refresh(signal);
  }

  invalidate(stale: string): boolean {
    if (this.#accessToken === stale) this.#accessToken = undefined;
    return true;
  }

  /** Forces a refresh, joining one already in flight. */
  refresh(signal?: AbortSignal): Promise<string> {
    this.#inFlight ??= this.#doRefresh(signal).finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  async #doRefresh(signal?: AbortSignal): Promise<string> {
    if (!this.#accountsServer) throw new OAuthError('no_accounts_server', 0, 'no accounts server configured');
    const body = await requestToken(
      this.#fetch,
      this.#accountsServer,
      {
        grant_type: 'refresh_token',
        client_id: this.#options.clientId,
        client_secret: this.#options.clientSecret,
        refresh_token: this.#options.refreshToken,
      },
      signal,
      this.secrets,
    );
    const expiresAt = this.#now() + (body.expires_in ?? 3600) * 1000;
    this.#accessToken = body.access_token;
    this.#expiresAt = expiresAt;
    if (body.api_domain) this.#onApiDomain?.(body.api_domain);
    await this.#options.onRefresh?.({
      accessToken: body.access_token,
      expiresAt,
      apiDomain: body.api_domain,
    });
    return body.access_token;
  }
}

/**
 * POSTs a form to `{accountsServer}/oauth/v2/token`. Zoho reports refusals as HTTP 200 with an
 * `error` member, so success is "has access_token", not "status is 2xx".
 */
export async function requestToken(
  fetchImpl: typeof fetch,
  accountsServer: string,
  form: Record<string, string>,
  signal?: AbortSignal,
  secrets: readonly string[] = [],
): Promise<TokenResponse> {
  let res: Response;
  try {
    res = await fetchImpl(`${accountsServer.replace(/\/+$/, '')}/oauth/v2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (signal?.aborted) throw new APIUserAbortError();
    throw new APIConnectionError(`token request failed: ${redact(String(error), secrets)}`, {
      cause: sanitizedCause(error, secrets),
    });
  }
  const text = await res.text();
  let body: Partial<TokenResponse> & { error?: unknown; error_description?: unknown } = {};
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    throw new OAuthError('invalid_response', res.status, redact(text.slice(0, 200), secrets));
  }
  if (typeof body.error === 'string') {
    throw new OAuthError(
      body.error,
      res.status,
      typeof body.error_description === 'string' ? body.error_description : undefined,
    );
  }
  if (!res.ok || typeof body.access_token !== 'string') {
    throw new OAuthError('invalid_response', res.status, `HTTP ${res.status} without an access token`);
  }
  return body as TokenResponse;
}

/** Exchanges an authorization code from the consent redirect for tokens (`grant_type=authorization_code`). */
export function exchangeAuthorizationCode(options: {
  accountsServer: string;
  clientId: string;
  clientSecret: string;
  code: string;
  redirectUri: string;
  fetch?: typeof fetch;
  signal?: AbortSignal;
}): Promise<TokenResponse> {
  return requestToken(
    options.fetch ?? globalThis.fetch,
    options.accountsServer,
    {
      grant_type: 'authorization_code',
      client_id: options.clientId,
      client_secret: options.clientSecret,
      redirect_uri: options.redirectUri,
      code: options.code,
    },
    options.signal,
    [options.clientSecret, options.code],
  );
}

/** The consent page URL (`{accountsServer}/oauth/v2/auth`), offline access so a refresh token comes back. */
export function authorizationUrl(options: {
  accountsServer: string;
  clientId: string;
  scope: string;
  redirectUri: string;
  state: string;
}): string {
  const url = new URL(`${options.accountsServer.replace(/\/+$/, '')}/oauth/v2/auth`);
  url.search = new URLSearchParams({
    scope: options.scope,
    client_id: options.clientId,
    response_type: 'code',
    access_type: 'offline',
    prompt: 'consent',
    redirect_uri: options.redirectUri,
    state: options.state,
  }).toString();
  return url.toString();
}
