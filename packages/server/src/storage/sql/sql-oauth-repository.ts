import type { DataCenterId } from '@bigin-attachments/contract';
import type { OAuthRepository, TokenLimits } from '../../domain/ports.js';
import { columnList, insertSql, reader, writer } from './columns.js';
import type { SqlDialect, Tx, TxOp } from './dialect.js';
import {
  ACCESS_TOKENS,
  GRANT_CODE_KEYS,
  GRANT_CODES,
  OAUTH_CLIENT_KEYS,
  OAUTH_CLIENTS,
  REFRESH_TOKEN_KEYS,
  REFRESH_TOKENS,
} from './tables.js';

const ACCESS_KEYS = [
  'hash',
  'orgId',
  'userId',
  'clientId',
  'scopes',
  'dataCenter',
  'expiresAt',
  'createdAt',
  'refreshTokenHash',
  'fromRefresh',
] as const;

/**
 * Zoho Accounts state. Each check-and-issue runs in one transaction that holds what the limit is
 * about: SQLite's single writer serialises every one of them; PostgreSQL locks the grant code's
 * row (one conditional UPDATE, so of concurrent redemptions on any nodes exactly one wins), the
 * refresh token's row (refresh-rate and live-access-token limits), and takes an advisory lock per
 * user and client (refresh-token limit).
 */
export function createSqlOAuthRepository(d: SqlDialect): OAuthRepository {
  const f = d.fragments;
  const codeColumns = columnList(GRANT_CODES, GRANT_CODE_KEYS);
  const refreshColumns = columnList(REFRESH_TOKENS, REFRESH_TOKEN_KEYS);
  const q = {
    client: d.prepare(
      `SELECT ${columnList(OAUTH_CLIENTS, OAUTH_CLIENT_KEYS)} FROM oauth_clients WHERE id = $1`,
    ),
    insertClient: d.prepare(
      `${insertSql(OAUTH_CLIENTS, [...OAUTH_CLIENT_KEYS, 'createdAt'])} ON CONFLICT (id) DO NOTHING`,
    ),
    candidates: d.prepare(`
      SELECT u.org_id, u.id, u.name, u.active, u.password_hash FROM users u
      JOIN organizations o ON o.id = u.org_id
      WHERE o.data_center = $1 AND lower(u.email) = lower($2) AND u.password_hash IS NOT NULL
      ORDER BY u.org_id${f.collateC}, u.id${f.collateC}`),
    setPassword: d.prepare('UPDATE users SET password_hash = $1 WHERE org_id = $2 AND id = $3'),
    consent: d.prepare('SELECT 1 FROM oauth_consents WHERE org_id = $1 AND user_id = $2 AND client_id = $3'),
    recordConsent:
      d.prepare(`INSERT INTO oauth_consents (org_id, user_id, client_id, granted_at) VALUES ($1, $2, $3, $4)
      ON CONFLICT (org_id, user_id, client_id) DO UPDATE SET granted_at = excluded.granted_at`),
    insertCode: d.prepare(insertSql(GRANT_CODES, GRANT_CODE_KEYS)),
    code: d.prepare(`SELECT ${codeColumns} FROM oauth_grant_codes WHERE hash = $1`),
    // Expired codes are worth nothing after a day (answers stay `invalid_code` either way); each
    // new code clears a few, so the table stays small without a separate job.
    pruneCodes: d.prepare(`DELETE FROM oauth_grant_codes WHERE hash IN (
      SELECT hash FROM oauth_grant_codes WHERE expires_at < $1 ORDER BY expires_at LIMIT 100${f.forUpdateSkipLocked})`),
    // A second redemption waits on this row (PostgreSQL), then re-checks used_at and matches nothing.
    useCode:
      d.prepare(`UPDATE oauth_grant_codes SET used_at = $1 WHERE hash = $2 AND used_at IS NULL AND expires_at > $1
      RETURNING ${codeColumns}`),
    refresh: d.prepare(`SELECT ${refreshColumns} FROM oauth_refresh_tokens WHERE hash = $1`),
    // The refresh token's row lock serialises every grant from it (and its revocation), so the
    // window count and the eviction see each other's tokens.
    lockRefresh: d.prepare(
      `SELECT ${refreshColumns} FROM oauth_refresh_tokens WHERE hash = $1${f.forUpdate}`,
    ),
    insertRefresh: d.prepare(insertSql(REFRESH_TOKENS, REFRESH_TOKEN_KEYS)),
    refreshOverLimit: d.prepare(`SELECT hash FROM oauth_refresh_tokens
      WHERE org_id = $1 AND user_id = $2 AND client_id = $3 AND revoked_at IS NULL
      ORDER BY created_at DESC, ${f.issueOrder} DESC LIMIT ${f.noLimit} OFFSET $4`),
    revokeRefreshes: d.prepare(
      `UPDATE oauth_refresh_tokens SET revoked_at = $1 WHERE ${f.inList('hash', '$2')} AND revoked_at IS NULL`,
    ),
    revokeAccessOfRefreshes: d.prepare(
      `UPDATE access_tokens SET revoked_at = $1 WHERE ${f.inList('refresh_token_hash', '$2')} AND revoked_at IS NULL`,
    ),
    revokeRefresh: d.prepare(
      'UPDATE oauth_refresh_tokens SET revoked_at = $1 WHERE hash = $2 AND data_center = $3 AND revoked_at IS NULL',
    ),
    revokeAccessOf: d.prepare(
      'UPDATE access_tokens SET revoked_at = $1 WHERE refresh_token_hash = $2 AND revoked_at IS NULL',
    ),
    revokeAccess: d.prepare(`UPDATE access_tokens SET revoked_at = $1
      WHERE hash = $2 AND data_center = $3 AND revoked_at IS NULL AND expires_at > $1`),
    insertAccess: d.prepare(insertSql(ACCESS_TOKENS, ACCESS_KEYS)),
    // Revokes the oldest live access tokens of a refresh token beyond the limit (newest kept).
    evictAccess: d.prepare(`UPDATE access_tokens SET revoked_at = $1 WHERE hash IN (
      SELECT hash FROM access_tokens
      WHERE refresh_token_hash = $2 AND revoked_at IS NULL AND expires_at > $1
      ORDER BY created_at DESC, ${f.issueOrder} DESC LIMIT ${f.noLimit} OFFSET $3)`),
    refreshesSince: d.prepare(`SELECT COUNT(*) AS n FROM access_tokens
      WHERE refresh_token_hash = $1 AND from_refresh = TRUE AND created_at > $2`),
  };
  const toClient = reader(d, OAUTH_CLIENTS, OAUTH_CLIENT_KEYS);
  const toCode = reader(d, GRANT_CODES, GRANT_CODE_KEYS);
  const toRefresh = reader(d, REFRESH_TOKENS, REFRESH_TOKEN_KEYS);
  const clientValues = writer(d, OAUTH_CLIENTS, [...OAUTH_CLIENT_KEYS, 'createdAt']);
  const codeValues = writer(d, GRANT_CODES, GRANT_CODE_KEYS);
  const refreshValues = writer(d, REFRESH_TOKENS, REFRESH_TOKEN_KEYS);
  const accessValues = writer(d, ACCESS_TOKENS, ACCESS_KEYS);

  function* evictAccessTokens(tx: Tx, refreshHash: string, at: number, limits: TokenLimits) {
    yield* tx.run(q.evictAccess, [at, refreshHash, limits.maxLiveAccessTokensPerRefreshToken]);
  }

  function* insertAccess(
    tx: Tx,
    grant: { orgId: string; userId: string; clientId: string; scopes: string; dataCenter: DataCenterId },
    t: { hash: string; expiresAt: number; at: number; refreshHash: string | null; fromRefresh: boolean },
  ): Generator<TxOp, void, unknown> {
    yield* tx.run(
      q.insertAccess,
      accessValues({
        ...grant,
        hash: t.hash,
        expiresAt: t.expiresAt,
        createdAt: t.at,
        refreshTokenHash: t.refreshHash,
        fromRefresh: t.fromRefresh,
      }),
    );
  }

  return {
    findClient: async (id) => {
      const r = await d.get(q.client, [id]);
      return r ? toClient(r) : null;
    },
    registerClient: async (c) => (await d.run(q.insertClient, clientValues(c))) === 1,
    signInCandidates: async (dataCenter, email) =>
      (await d.all(q.candidates, [dataCenter, email])).map((r) => ({
        orgId: r.org_id as string,
        userId: r.id as string,
        name: r.name as string,
        active: d.readBool(r.active),
        passwordHash: r.password_hash as string,
      })),
    setPassword: async (orgId, userId, passwordHash) =>
      (await d.run(q.setPassword, [passwordHash, orgId, userId])) === 1,
    hasOfflineConsent: async (orgId, userId, clientId) =>
      (await d.get(q.consent, [orgId, userId, clientId])) !== undefined,
    saveGrantCode: (c) =>
      d.transaction(function* (tx) {
        yield* tx.run(q.pruneCodes, [c.createdAt - 86_400_000]);
        yield* tx.run(q.insertCode, codeValues(c));
      }),
    findGrantCode: async (hash) => {
      const r = await d.get(q.code, [hash]);
      return r ? toCode(r) : null;
    },
    redeemGrantCode: ({
      codeHash,
      at,
      limits,
      refreshTokenHash: refresh,
      accessTokenHash,
      accessExpiresAt,
    }) =>
      d.transaction(function* (tx) {
        const used = yield* tx.get(q.useCode, [at, codeHash]);
        if (!used) return false;
        const code = toCode(used);
        if (refresh !== null) {
          yield* d.lock(tx, `oauth-refresh:${code.orgId}:${code.userId}:${code.clientId}`);
          yield* tx.run(
            q.insertRefresh,
            refreshValues({ ...code, hash: refresh, createdAt: at, revokedAt: null }),
          );
          yield* tx.run(q.recordConsent, [code.orgId, code.userId, code.clientId, at]);
          const over = yield* tx.all(q.refreshOverLimit, [
            code.orgId,
            code.userId,
            code.clientId,
            limits.maxRefreshTokensPerUserAndClient,
          ]);
          const evicted = over.map((r) => r.hash as string);
          if (evicted.length) {
            yield* tx.run(q.revokeRefreshes, [at, d.list(evicted)]);
            yield* tx.run(q.revokeAccessOfRefreshes, [at, d.list(evicted)]);
          }
        }
        yield* insertAccess(tx, code, {
          hash: accessTokenHash,
          expiresAt: accessExpiresAt,
          at,
          refreshHash: refresh,
          fromRefresh: false,
        });
        if (refresh !== null) yield* evictAccessTokens(tx, refresh, at, limits);
        return true;
      }),
    findRefreshToken: async (hash) => {
      const r = await d.get(q.refresh, [hash]);
      return r ? toRefresh(r) : null;
    },
    refreshAccessToken: ({ refreshTokenHash, at, limits, accessTokenHash, accessExpiresAt }) =>
      d.transaction(function* (tx): Generator<TxOp, 'issued' | 'revoked' | 'rate-limited', unknown> {
        const r = yield* tx.get(q.lockRefresh, [refreshTokenHash]);
        if (!r || r.revoked_at !== null) return 'revoked';
        const row = toRefresh(r);
        const recent = yield* tx.get(q.refreshesSince, [refreshTokenHash, at - limits.refreshWindowMs]);
        if (Number(recent!.n) >= limits.maxRefreshesPerWindow) return 'rate-limited';
        yield* insertAccess(tx, row, {
          hash: accessTokenHash,
          expiresAt: accessExpiresAt,
          at,
          refreshHash: refreshTokenHash,
          fromRefresh: true,
        });
        yield* evictAccessTokens(tx, refreshTokenHash, at, limits);
        return 'issued';
      }),
    revokeRefreshToken: (hash, dataCenter, at) =>
      d.transaction(function* (tx) {
        if ((yield* tx.run(q.revokeRefresh, [at, hash, dataCenter])) !== 1) return false;
        yield* tx.run(q.revokeAccessOf, [at, hash]);
        return true;
      }),
    revokeAccessToken: async (hash, dataCenter, at) =>
      (await d.run(q.revokeAccess, [at, hash, dataCenter])) === 1,
  };
}
