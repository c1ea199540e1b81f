import { performance } from 'node:perf_hooks';
import { FREE_LIMITS } from '../domain/credits/credit-policy.js';
import type { ApiCreditLedger, OrgApiLimits } from '../domain/ports.js';

/**
 * How long a node trusts what it read of the limits table. This is cache freshness (how soon a
 * switch made on another node is seen), not a time rule of the API, so it is measured on the
 * monotonic clock rather than the server's (virtual) clock.
 */
const FRESH_MS = 1000;

/**
 * Which organisations are counted, and with which limits: every one when API_LIMITS is on (Free
 * unless the table says otherwise, or the table turns it off), otherwise only those the table
 * turns on. With nothing turned on, the answer costs no store read on the hot path.
 */
export class LimitsDirectory {
  readonly #ledger: ApiCreditLedger;
  readonly #everyone: boolean;
  #anyEnabled = false;
  #anyCheckedAt = Number.NEGATIVE_INFINITY;
  readonly #cache = new Map<string, { limits: OrgApiLimits | null; at: number }>();

  constructor(ledger: ApiCreditLedger, everyone: boolean) {
    this.#ledger = ledger;
    this.#everyone = everyone;
  }

  limitsFor(orgId: string): OrgApiLimits | null | Promise<OrgApiLimits | null> {
    const now = performance.now();
    if (!this.#everyone) {
      if (now - this.#anyCheckedAt > FRESH_MS)
        return this.#refreshAny(now).then(() => this.#forOrg(orgId, now));
      if (!this.#anyEnabled) return null;
    }
    return this.#forOrg(orgId, now);
  }

  async set(orgId: string, limits: OrgApiLimits | null): Promise<void> {
    await this.#ledger.setLimits(orgId, limits);
    this.#cache.delete(orgId);
    this.#anyCheckedAt = Number.NEGATIVE_INFINITY;
  }

  /** The limits in force for the organisation, read fresh. */
  async effective(orgId: string): Promise<OrgApiLimits | null> {
    this.#cache.delete(orgId);
    return this.#resolve(await this.#ledger.limits(orgId));
  }

  async #refreshAny(now: number): Promise<void> {
    this.#anyEnabled = await this.#ledger.anyEnabled();
    this.#anyCheckedAt = now;
  }

  #forOrg(orgId: string, now: number): OrgApiLimits | null | Promise<OrgApiLimits | null> {
    if (!this.#everyone && !this.#anyEnabled) return null;
    const cached = this.#cache.get(orgId);
    if (cached && now - cached.at <= FRESH_MS) return cached.limits;
    return this.#ledger.limits(orgId).then((row) => {
      const limits = this.#resolve(row);
      this.#cache.set(orgId, { limits, at: now });
      return limits;
    });
  }

  #resolve(row: OrgApiLimits | null): OrgApiLimits | null {
    if (row) return row.enabled ? row : null;
    return this.#everyone ? FREE_LIMITS : null;
  }
}
