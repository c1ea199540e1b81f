import type { DataCenterId } from '@bigin-attachments/contract';
import type pg from 'pg';
import type {
  GrantCodeRow,
  OAuthClientRow,
  OAuthClientType,
  OAuthRepository,
  RefreshTokenRow,
  SignInCandidate,
  TokenLimits,
} from '../../domain/ports.js';
import { inTransaction, num, numOrNull, type Queryable, type Row, str, strOrNull } from './pg-support.js';

function toCode(r: Row): GrantCodeRow {
  return {
    hash: str(r.hash),
    clientId: str(r.client_id),
    orgId: str(r.org_id),
    userId: str(r.user_id),
    scopes: str(r.scopes),
    dataCenter: str(r.data_center) as DataCenterId,
    redirectUri: strOrNull(r.redirect_uri),
    issueRefresh: r.issue_refresh === true,
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

const CODE_COLUMNS =
  'hash, client_id, org_id, user_id, scopes, data_center, redirect_uri, issue_refresh, expires_at, used_at, created_at';
const REFRESH_COLUMNS = 'hash, client_id, org_id, user_id, scopes, data_center, created_at, revoked_at';

/** Revokes the oldest live access tokens of a refresh token beyond the limit (newest kept). */
async function evictAccessTokens(db: Queryable, refreshHash: string, at: number, limits: TokenLimits) {
  await db.query(
    `UPDATE access_tokens SET revoked_at = $1 WHERE hash IN (
       SELECT hash FROM access_tokens
       WHERE refresh_token_hash = $2 AND revoked_at IS NULL AND expires_at > $1
       ORDER BY created_at DESC, issue_seq DESC OFFSET $3)`,
    [at, refreshHash, limits.maxLiveAccessTokensPerRefreshToken],
  );
}

async function insertAccessToken(
  db: Queryable,
  t: {
    hash: string;
    orgId: string;
    userId: string;
    clientId: string;
    scopes: string;
    dataCenter: string;
    expiresAt: number;
    at: number;
    refreshHash: string | null;
    fromRefresh: boolean;
  },
) {
  await db.query(
    `INSERT INTO access_tokens
       (hash, org_id, user_id, client_id, scopes, data_center, expires_at, revoked_at, created_at, refresh_token_hash, from_refresh)
     VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8, $9, $10)`,
    [
      t.hash,
      t.orgId,
      t.userId,
      t.clientId,
      t.scopes,
      t.dataCenter,
      t.expiresAt,
      t.at,
      t.refreshHash,
      t.fromRefresh,
    ],
  );
}

/**
 * Zoho Accounts state in PostgreSQL. Each check-and-issue runs in one transaction that first
 * locks what the limit is about: the grant code's row (one conditional UPDATE, so of concurrent
 * redemptions on any nodes exactly one wins), the refresh token's row (refresh-rate and
 * live-access-token limits), and an advisory lock per user and client (refresh-token limit).
 * Concurrent requests are thereby serialised exactly where SQLite's single writer serialises them.
 */
export class PgOAuthRepository implements OAuthRepository {
  constructor(private readonly pool: pg.Pool) {}

  async findClient(id: string): Promise<OAuthClientRow | null> {
    const { rows } = await this.pool.query<Row>(
      'SELECT id, name, secret_hash, redirect_uris, client_type FROM oauth_clients WHERE id = $1',
      [id],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      id: str(r.id),
      name: str(r.name),
      secretHash: str(r.secret_hash),
      redirectUris: r.redirect_uris as string[],
      type: str(r.client_type) as OAuthClientType,
    };
  }

  async registerClient(c: OAuthClientRow & { createdAt: number }): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `INSERT INTO oauth_clients (id, name, secret_hash, redirect_uris, created_at, client_type)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6) ON CONFLICT (id) DO NOTHING`,
      [c.id, c.name, c.secretHash, JSON.stringify(c.redirectUris), c.createdAt, c.type],
    );
    return rowCount === 1;
  }

  async signInCandidates(dataCenter: DataCenterId, email: string): Promise<SignInCandidate[]> {
    const { rows } = await this.pool.query<Row>(
      `SELECT u.org_id, u.id, u.name, u.active, u.password_hash FROM users u
       JOIN organizations o ON o.id = u.org_id
       WHERE o.data_center = $1 AND lower(u.email) = lower($2) AND u.password_hash IS NOT NULL
       ORDER BY u.org_id COLLATE "C", u.id COLLATE "C"`,
      [dataCenter, email],
    );
    return rows.map((r) => ({
      orgId: str(r.org_id),
      userId: str(r.id),
      name: str(r.name),
      active: r.active === true,
      passwordHash: str(r.password_hash),
    }));
  }

  async setPassword(orgId: string, userId: string, passwordHash: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      'UPDATE users SET password_hash = $1 WHERE org_id = $2 AND id = $3',
      [passwordHash, orgId, userId],
    );
    return rowCount === 1;
  }

  async hasOfflineConsent(orgId: string, userId: string, clientId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      'SELECT 1 FROM oauth_consents WHERE org_id = $1 AND user_id = $2 AND client_id = $3',
      [orgId, userId, clientId],
    );
    return (rowCount ?? 0) > 0;
  }

  // Expired codes are worth nothing after a day (answers stay `invalid_code` either way); each new
  // code clears a few, so the table stays small without a separate job.
  async saveGrantCode(c: GrantCodeRow): Promise<void> {
    await inTransaction(this.pool, async (db) => {
      await db.query(
        `DELETE FROM oauth_grant_codes WHERE hash IN (
           SELECT hash FROM oauth_grant_codes WHERE expires_at < $1 ORDER BY expires_at LIMIT 100
           FOR UPDATE SKIP LOCKED)`,
        [c.createdAt - 86_400_000],
      );
      await db.query(
        `INSERT INTO oauth_grant_codes (${CODE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          c.hash,
          c.clientId,
          c.orgId,
          c.userId,
          c.scopes,
          c.dataCenter,
          c.redirectUri,
          c.issueRefresh,
          c.expiresAt,
          c.usedAt,
          c.createdAt,
        ],
      );
    });
  }

  async findGrantCode(hash: string): Promise<GrantCodeRow | null> {
    const { rows } = await this.pool.query<Row>(
      `SELECT ${CODE_COLUMNS} FROM oauth_grant_codes WHERE hash = $1`,
      [hash],
    );
    return rows[0] ? toCode(rows[0]) : null;
  }

  async redeemGrantCode(input: Parameters<OAuthRepository['redeemGrantCode']>[0]): Promise<boolean> {
    const { codeHash, at, limits } = input;
    return inTransaction(this.pool, async (db) => {
      // A second redemption waits on this row lock, then re-checks used_at and matches nothing.
      const { rows } = await db.query<Row>(
        `UPDATE oauth_grant_codes SET used_at = $1 WHERE hash = $2 AND used_at IS NULL AND expires_at > $1
         RETURNING ${CODE_COLUMNS}`,
        [at, codeHash],
      );
      if (!rows[0]) return false;
      const code = toCode(rows[0]);
      const refresh = input.refreshTokenHash;
      if (refresh !== null) {
        await db.query(
          "SELECT pg_advisory_xact_lock(hashtextextended('oauth-refresh:' || $1 || ':' || $2 || ':' || $3, 0))",
          [code.orgId, code.userId, code.clientId],
        );
        await db.query(
          `INSERT INTO oauth_refresh_tokens (${REFRESH_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL)`,
          [refresh, code.clientId, code.orgId, code.userId, code.scopes, code.dataCenter, at],
        );
        await db.query(
          `INSERT INTO oauth_consents (org_id, user_id, client_id, granted_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (org_id, user_id, client_id) DO UPDATE SET granted_at = excluded.granted_at`,
          [code.orgId, code.userId, code.clientId, at],
        );
        const over = await db.query<Row>(
          `SELECT hash FROM oauth_refresh_tokens
           WHERE org_id = $1 AND user_id = $2 AND client_id = $3 AND revoked_at IS NULL
           ORDER BY created_at DESC, issue_seq DESC OFFSET $4`,
          [code.orgId, code.userId, code.clientId, limits.maxRefreshTokensPerUserAndClient],
        );
        const evicted = over.rows.map((r) => str(r.hash));
        if (evicted.length) {
          await db.query(
            'UPDATE oauth_refresh_tokens SET revoked_at = $1 WHERE hash = ANY($2::text[]) AND revoked_at IS NULL',
            [at, evicted],
          );
          await db.query(
            'UPDATE access_tokens SET revoked_at = $1 WHERE refresh_token_hash = ANY($2::text[]) AND revoked_at IS NULL',
            [at, evicted],
          );
        }
      }
      await insertAccessToken(db, {
        hash: input.accessTokenHash,
        orgId: code.orgId,
        userId: code.userId,
        clientId: code.clientId,
        scopes: code.scopes,
        dataCenter: code.dataCenter,
        expiresAt: input.accessExpiresAt,
        at,
        refreshHash: refresh,
        fromRefresh: false,
      });
      if (refresh !== null) await evictAccessTokens(db, refresh, at, limits);
      return true;
    });
  }

  async findRefreshToken(hash: string): Promise<RefreshTokenRow | null> {
    const { rows } = await this.pool.query<Row>(
      `SELECT ${REFRESH_COLUMNS} FROM oauth_refresh_tokens WHERE hash = $1`,
      [hash],
    );
    return rows[0] ? toRefresh(rows[0]) : null;
  }

  async refreshAccessToken(
    input: Parameters<OAuthRepository['refreshAccessToken']>[0],
  ): Promise<'issued' | 'revoked' | 'rate-limited'> {
    const { refreshTokenHash, at, limits } = input;
    return inTransaction(this.pool, async (db) => {
      // The refresh token's row lock serialises every grant from it (and its revocation), so the
      // window count and the eviction below see each other's tokens.
      const { rows } = await db.query<Row>(
        `SELECT ${REFRESH_COLUMNS} FROM oauth_refresh_tokens WHERE hash = $1 FOR UPDATE`,
        [refreshTokenHash],
      );
      if (!rows[0] || rows[0].revoked_at !== null) return 'revoked';
      const row = toRefresh(rows[0]);
      const recent = await db.query<Row>(
        `SELECT COUNT(*)::bigint AS n FROM access_tokens
         WHERE refresh_token_hash = $1 AND from_refresh AND created_at > $2`,
        [refreshTokenHash, at - limits.refreshWindowMs],
      );
      if (num(recent.rows[0]!.n) >= limits.maxRefreshesPerWindow) return 'rate-limited';
      await insertAccessToken(db, {
        hash: input.accessTokenHash,
        orgId: row.orgId,
        userId: row.userId,
        clientId: row.clientId,
        scopes: row.scopes,
        dataCenter: row.dataCenter,
        expiresAt: input.accessExpiresAt,
        at,
        refreshHash: refreshTokenHash,
        fromRefresh: true,
      });
      await evictAccessTokens(db, refreshTokenHash, at, limits);
      return 'issued';
    });
  }

  async revokeRefreshToken(hash: string, dataCenter: DataCenterId, at: number): Promise<boolean> {
    return inTransaction(this.pool, async (db) => {
      const { rowCount } = await db.query(
        'UPDATE oauth_refresh_tokens SET revoked_at = $1 WHERE hash = $2 AND data_center = $3 AND revoked_at IS NULL',
        [at, hash, dataCenter],
      );
      if (rowCount !== 1) return false;
      await db.query(
        'UPDATE access_tokens SET revoked_at = $1 WHERE refresh_token_hash = $2 AND revoked_at IS NULL',
        [at, hash],
      );
      return true;
    });
  }

  async revokeAccessToken(hash: string, dataCenter: DataCenterId, at: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE access_tokens SET revoked_at = $1
       WHERE hash = $2 AND data_center = $3 AND revoked_at IS NULL AND expires_at > $1`,
      [at, hash, dataCenter],
    );
    return rowCount === 1;
  }
}
