import type { DataCenterId } from '@bigin-attachments/contract';
import type Database from 'better-sqlite3';
import type {
  GrantCodeRow,
  OAuthClientRow,
  OAuthClientType,
  OAuthRepository,
  RefreshTokenRow,
  TokenLimits,
} from '../../domain/ports.js';

type Row = Record<string, unknown>;

const str = (v: unknown): string => v as string;
const num = (v: unknown): number => v as number;
const numOrNull = (v: unknown): number | null => (v === null ? null : (v as number));

function toCode(r: Row): GrantCodeRow {
  return {
    hash: str(r.hash),
    clientId: str(r.client_id),
    orgId: str(r.org_id),
    userId: str(r.user_id),
    scopes: str(r.scopes),
    dataCenter: str(r.data_center) as DataCenterId,
    redirectUri: r.redirect_uri === null ? null : str(r.redirect_uri),
    issueRefresh: num(r.issue_refresh) === 1,
    expiresAt: num(r.expires_at),
    usedAt: numOrNull(r.used_at),
    createdAt: num(r.created_at),
  };
}

function toRefresh(r: Row): RefreshTokenRow {
  return {
    hash: str(r.hash),
    clientId: str(r.client_id),
    orgId: str(r.org_id),
    userId: str(r.user_id),
    scopes: str(r.scopes),
    dataCenter: str(r.data_center) as DataCenterId,
    createdAt: num(r.created_at),
    revokedAt: numOrNull(r.revoked_at),
  };
}

/**
 * Zoho Accounts state in SQLite. Every method that checks a limit and issues a token does both
 * in one synchronous transaction, so concurrent requests cannot both slip under a limit or both
 * redeem one code.
 */
export function createSqliteOAuthRepository(db: Database.Database): OAuthRepository {
  const q = {
    client: db.prepare(
      'SELECT id, name, secret_hash, redirect_uris, client_type FROM oauth_clients WHERE id = ?',
    ),
    insertClient: db.prepare(`INSERT OR IGNORE INTO oauth_clients
      (id, name, secret_hash, redirect_uris, created_at, client_type) VALUES (?, ?, ?, ?, ?, ?)`),
    candidates: db.prepare(`
      SELECT u.org_id, u.id, u.name, u.active, u.password_hash FROM users u
      JOIN organizations o ON o.id = u.org_id
      WHERE o.data_center = ? AND lower(u.email) = lower(?) AND u.password_hash IS NOT NULL
      ORDER BY u.org_id, u.id`),
    setPassword: db.prepare('UPDATE users SET password_hash = ? WHERE org_id = ? AND id = ?'),
    consent: db.prepare('SELECT 1 FROM oauth_consents WHERE org_id = ? AND user_id = ? AND client_id = ?'),
    recordConsent:
      db.prepare(`INSERT INTO oauth_consents (org_id, user_id, client_id, granted_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (org_id, user_id, client_id) DO UPDATE SET granted_at = excluded.granted_at`),
    insertCode: db.prepare(`INSERT INTO oauth_grant_codes
      (hash, client_id, org_id, user_id, scopes, data_center, redirect_uri, issue_refresh, expires_at, used_at, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    code: db.prepare('SELECT * FROM oauth_grant_codes WHERE hash = ?'),
    pruneCodes: db.prepare(`DELETE FROM oauth_grant_codes WHERE rowid IN
      (SELECT rowid FROM oauth_grant_codes WHERE expires_at < ? ORDER BY expires_at LIMIT 100)`),
    useCode: db.prepare(
      'UPDATE oauth_grant_codes SET used_at = ? WHERE hash = ? AND used_at IS NULL AND expires_at > ?',
    ),
    refresh: db.prepare('SELECT * FROM oauth_refresh_tokens WHERE hash = ?'),
    insertRefresh: db.prepare(`INSERT INTO oauth_refresh_tokens
      (hash, client_id, org_id, user_id, scopes, data_center, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)`),
    refreshOverLimit: db.prepare(`
      SELECT hash FROM oauth_refresh_tokens
      WHERE org_id = ? AND user_id = ? AND client_id = ? AND revoked_at IS NULL
      ORDER BY created_at DESC, rowid DESC LIMIT -1 OFFSET ?`),
    revokeRefresh: db.prepare(
      'UPDATE oauth_refresh_tokens SET revoked_at = ? WHERE hash = ? AND data_center = ? AND revoked_at IS NULL',
    ),
    revokeAccessOf: db.prepare(
      'UPDATE access_tokens SET revoked_at = ? WHERE refresh_token_hash = ? AND revoked_at IS NULL',
    ),
    revokeAccess: db.prepare(
      'UPDATE access_tokens SET revoked_at = ? WHERE hash = ? AND data_center = ? AND revoked_at IS NULL AND expires_at > ?',
    ),
    insertAccess: db.prepare(`INSERT INTO access_tokens
      (hash, org_id, user_id, client_id, scopes, data_center, expires_at, revoked_at, created_at, refresh_token_hash, from_refresh)
      VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)`),
    evictAccess: db.prepare(`
      UPDATE access_tokens SET revoked_at = @at WHERE rowid IN (
        SELECT rowid FROM access_tokens
        WHERE refresh_token_hash = @refresh AND revoked_at IS NULL AND expires_at > @at
        ORDER BY created_at DESC, rowid DESC LIMIT -1 OFFSET @keep)`),
    refreshesSince: db.prepare(
      'SELECT COUNT(*) AS n FROM access_tokens WHERE refresh_token_hash = ? AND from_refresh = 1 AND created_at > ?',
    ),
  };

  const evictAccessTokens = (refreshHash: string, at: number, limits: TokenLimits) =>
    q.evictAccess.run({ at, refresh: refreshHash, keep: limits.maxLiveAccessTokensPerRefreshToken });

  const redeemTx = db.transaction((input: Parameters<OAuthRepository['redeemGrantCode']>[0]): boolean => {
    const { codeHash, at, limits } = input;
    if (q.useCode.run(at, codeHash, at).changes !== 1) return false;
    const code = toCode(q.code.get(codeHash) as Row);
    const refresh = input.refreshTokenHash;
    if (refresh !== null) {
      q.insertRefresh.run(refresh, code.clientId, code.orgId, code.userId, code.scopes, code.dataCenter, at);
      q.recordConsent.run(code.orgId, code.userId, code.clientId, at);
      const over = q.refreshOverLimit.all(
        code.orgId,
        code.userId,
        code.clientId,
        limits.maxRefreshTokensPerUserAndClient,
      ) as Row[];
      for (const r of over) {
        q.revokeRefresh.run(at, str(r.hash), code.dataCenter);
        q.revokeAccessOf.run(at, str(r.hash));
      }
    }
    q.insertAccess.run(
      input.accessTokenHash,
      code.orgId,
      code.userId,
      code.clientId,
      code.scopes,
      code.dataCenter,
      input.accessExpiresAt,
      at,
      refresh,
      0,
    );
    if (refresh !== null) evictAccessTokens(refresh, at, limits);
    return true;
  });

  const refreshTx = db.transaction(
    (input: Parameters<OAuthRepository['refreshAccessToken']>[0]): 'issued' | 'revoked' | 'rate-limited' => {
      const { refreshTokenHash, at, limits } = input;
      const r = q.refresh.get(refreshTokenHash) as Row | undefined;
      if (!r || r.revoked_at !== null) return 'revoked';
      const row = toRefresh(r);
      const recent = num((q.refreshesSince.get(refreshTokenHash, at - limits.refreshWindowMs) as Row).n);
      if (recent >= limits.maxRefreshesPerWindow) return 'rate-limited';
      q.insertAccess.run(
        input.accessTokenHash,
        row.orgId,
        row.userId,
        row.clientId,
        row.scopes,
        row.dataCenter,
        input.accessExpiresAt,
        at,
        refreshTokenHash,
        1,
      );
      evictAccessTokens(refreshTokenHash, at, limits);
      return 'issued';
    },
  );

  const revokeRefreshTx = db.transaction((hash: string, dataCenter: DataCenterId, at: number): boolean => {
    if (q.revokeRefresh.run(at, hash, dataCenter).changes !== 1) return false;
    q.revokeAccessOf.run(at, hash);
    return true;
  });

  // Expired codes are worth nothing after a day (answers stay `invalid_code` either way); each new
  // code clears a few, so the table stays small without a separate job.
  const saveCodeTx = db.transaction((c: GrantCodeRow) => {
    q.pruneCodes.run(c.createdAt - 86_400_000);
    q.insertCode.run(
      c.hash,
      c.clientId,
      c.orgId,
      c.userId,
      c.scopes,
      c.dataCenter,
      c.redirectUri,
      c.issueRefresh ? 1 : 0,
      c.expiresAt,
      c.usedAt,
      c.createdAt,
    );
  });

  return {
    findClient: async (id) => {
      const r = q.client.get(id) as Row | undefined;
      if (!r) return null;
      const client: OAuthClientRow = {
        id: str(r.id),
        name: str(r.name),
        secretHash: str(r.secret_hash),
        redirectUris: JSON.parse(str(r.redirect_uris)) as string[],
        type: str(r.client_type) as OAuthClientType,
      };
      return client;
    },
    registerClient: async (c) =>
      q.insertClient.run(c.id, c.name, c.secretHash, JSON.stringify(c.redirectUris), c.createdAt, c.type)
        .changes === 1,
    signInCandidates: async (dataCenter, email) =>
      (q.candidates.all(dataCenter, email) as Row[]).map((r) => ({
        orgId: str(r.org_id),
        userId: str(r.id),
        name: str(r.name),
        active: num(r.active) === 1,
        passwordHash: str(r.password_hash),
      })),
    setPassword: async (orgId, userId, passwordHash) =>
      q.setPassword.run(passwordHash, orgId, userId).changes === 1,
    hasOfflineConsent: async (orgId, userId, clientId) =>
      q.consent.get(orgId, userId, clientId) !== undefined,
    saveGrantCode: async (c) => saveCodeTx.immediate(c),
    findGrantCode: async (hash) => {
      const r = q.code.get(hash) as Row | undefined;
      return r ? toCode(r) : null;
    },
    redeemGrantCode: async (input) => redeemTx.immediate(input),
    findRefreshToken: async (hash) => {
      const r = q.refresh.get(hash) as Row | undefined;
      return r ? toRefresh(r) : null;
    },
    refreshAccessToken: async (input) => refreshTx.immediate(input),
    revokeRefreshToken: async (hash, dataCenter, at) => revokeRefreshTx.immediate(hash, dataCenter, at),
    revokeAccessToken: async (hash, dataCenter, at) =>
      q.revokeAccess.run(at, hash, dataCenter, at).changes === 1,
  };
}
