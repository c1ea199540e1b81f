import type Database from 'better-sqlite3';
import type { TokenGrant } from '../../domain/ports.js';
import type { TokenGrantCache } from '../sql/sql-auth-repository.js';
import { reportTokenCache } from '../store-events.js';

/** Enough for every live token of a busy deployment; past it the cache starts over. */
const DEFAULT_MAX_ENTRIES = 10_000;

/**
 * Token grants kept in memory between requests, valid only while `auth_epoch.n` has not moved.
 *
 * Triggers (migration 5) bump the epoch in the same transaction as any change to a token, user,
 * profile or organization, from any connection or process. Every lookup reads the epoch first
 * (one single-row read instead of the four-table join) and drops the whole cache when it moved, so
 * a revocation, a deactivation or a permission change is seen by the very next request. Reading
 * the epoch before the grant makes the race safe: a grant loaded after a concurrent change is
 * newer than the epoch it is filed under, and the next lookup sees the new epoch and drops it.
 *
 * Only grants of existing tokens are cached, never "unknown token"; expiry is checked by the
 * caller on every use (the grant carries the expiry, not a decision).
 */
export class AuthGrantCache implements TokenGrantCache {
  readonly #epoch: Database.Statement;
  readonly #grants = new Map<string, TokenGrant>();
  readonly #maxEntries: number;
  #seenEpoch: number | null = null;

  constructor(db: Database.Database, maxEntries = DEFAULT_MAX_ENTRIES) {
    this.#epoch = db.prepare('SELECT n FROM auth_epoch WHERE id = 1').pluck();
    this.#maxEntries = maxEntries;
  }

  /**
   * `load` reads the grant when called (SQLite statements run synchronously), right after the
   * epoch; a grant is filed only if no lookup saw a newer epoch while its promise resolved, so an
   * older grant never lands under a newer epoch.
   */
  async lookup(hash: string, load: (hash: string) => Promise<TokenGrant | null>): Promise<TokenGrant | null> {
    const epoch = this.#epoch.get() as number;
    if (epoch !== this.#seenEpoch) {
      this.#grants.clear();
      this.#seenEpoch = epoch;
    }
    const cached = this.#grants.get(hash);
    reportTokenCache(cached !== undefined);
    if (cached) return cached;
    const grant = await load(hash);
    if (grant && this.#seenEpoch === epoch) {
      if (this.#grants.size >= this.#maxEntries) this.#grants.clear();
      this.#grants.set(hash, grant);
    }
    return grant;
  }
}
