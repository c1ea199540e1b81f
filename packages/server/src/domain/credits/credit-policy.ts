import type { Clock } from '../clock.js';
import { errors } from '../errors.js';
import type { ApiCreditLedger, OrgApiLimits } from '../ports.js';

/** Bigin's credit window: rolling, each call's credits free up 24 hours after the call [B api-limits]. */
export const CREDIT_WINDOW_MS = 24 * 3_600_000;

/** Free: 5,000; paid editions: 50,000 + 250 per user licence, at most 100,000 [B api-limits]. */
export function creditAllowance(limits: Pick<OrgApiLimits, 'edition' | 'licences'>): number {
  if (limits.edition === 'free') return 5_000;
  return Math.min(50_000 + 250 * limits.licences, 100_000);
}

/**
 * Calls in flight at once. Bigin says a cap exists but publishes no number; these are Zoho CRM's
 * (Free 5, Standard 10), decided here (D9).
 */
export function defaultConcurrency(edition: OrgApiLimits['edition']): number {
  return edition === 'free' ? 5 : 10;
}

export const FREE_LIMITS: OrgApiLimits = { enabled: true, edition: 'free', licences: 1, concurrency: null };

/**
 * A call's cost as far as it is known before the call runs [B api-limits]: getting records with
 * `cvid` costs 3, everything else 1. Inserts and updates cost 1 per 10 records, known only once
 * the body is read; `batchCost` gives their total and the rest is charged afterwards.
 */
/** The records route of both API versions (v1 costs as v2 does: the v1 pages give the same credits). */
const RECORDS_ROUTES: ReadonlySet<string | undefined> = new Set(['/bigin/v2/:module', '/bigin/v1/:module']);

export function upfrontCost(
  method: string,
  route: string | undefined,
  query: Record<string, unknown>,
): number {
  if (method === 'GET' && RECORDS_ROUTES.has(route) && query.cvid !== undefined) return 3;
  return 1;
}

/** Insert and update: 1 credit per 10 records, at least 1 (100 records ⇒ 10) [B api-limits]. */
export function batchCost(records: number): number {
  return Math.max(1, Math.ceil(records / 10));
}

export function isBatchWrite(method: string, route: string | undefined): boolean {
  return (method === 'POST' || method === 'PUT') && RECORDS_ROUTES.has(route);
}

/**
 * Adding or removing tags on several records: up to 500 records for at most 10 credits [B
 * api-limits]; the rate per record is not published, so 1 credit per 50 records, at least 1, is
 * decided here (docs/tags.md), which reaches exactly 10 at 500.
 */
export function tagBatchCost(records: number): number {
  return Math.min(10, Math.max(1, Math.ceil(records / 50)));
}

export function isTagBatch(method: string, route: string | undefined): boolean {
  return (
    method === 'POST' &&
    (route === '/bigin/v2/:module/actions/add_tags' || route === '/bigin/v2/:module/actions/remove_tags')
  );
}

/**
 * D9: Bigin's API credits and concurrency for one process. Credits go through the shared ledger
 * (every node counts against the same window); calls in flight are counted per process.
 */
export class ApiLimits {
  readonly #ledger: ApiCreditLedger;
  readonly #clock: Clock;
  readonly #inFlight = new Map<string, number>();

  constructor(ledger: ApiCreditLedger, clock: Clock) {
    this.#ledger = ledger;
    this.#clock = clock;
  }

  /**
   * Admits one call of `orgId` or refuses it with TOO_MANY_REQUESTS. Concurrency is checked
   * first, so that a refused call costs nothing. The caller must `release` an admitted call.
   */
  async admit(orgId: string, limits: OrgApiLimits, cost: number): Promise<void> {
    const cap = limits.concurrency ?? defaultConcurrency(limits.edition);
    const running = this.#inFlight.get(orgId) ?? 0;
    if (running >= cap) throw errors.tooManyRequests(`concurrency ${cap} reached`);
    this.#inFlight.set(orgId, running + 1);
    try {
      const now = this.#clock.now();
      const allowance = creditAllowance(limits);
      const charged = await this.#ledger.charge(orgId, now, cost, now - CREDIT_WINDOW_MS, allowance);
      if (!charged.granted) throw errors.tooManyRequests(`credits ${charged.used}/${allowance} in 24 h`);
    } catch (error) {
      this.release(orgId);
      throw error;
    }
  }

  release(orgId: string): void {
    const running = this.#inFlight.get(orgId) ?? 0;
    if (running <= 1) this.#inFlight.delete(orgId);
    else this.#inFlight.set(orgId, running - 1);
  }

  /** Credits a call turned out to cost beyond what it was charged up front (never refused). */
  async chargeRest(orgId: string, credits: number): Promise<void> {
    if (credits <= 0) return;
    const now = this.#clock.now();
    await this.#ledger.charge(orgId, now, credits, now - CREDIT_WINDOW_MS, Number.MAX_SAFE_INTEGER);
  }

  inFlight(orgId: string): number {
    return this.#inFlight.get(orgId) ?? 0;
  }

  /** What Bigin's API dashboard shows: credits used and left in the window, and when the next free up. */
  async usage(orgId: string, limits: OrgApiLimits) {
    const now = this.#clock.now();
    const usage = await this.#ledger.usage(orgId, now - CREDIT_WINDOW_MS);
    const allowance = creditAllowance(limits);
    return {
      orgId,
      limits: { ...limits, concurrency: limits.concurrency ?? defaultConcurrency(limits.edition) },
      allowance,
      used: usage.used,
      remaining: Math.max(0, allowance - usage.used),
      calls: usage.calls,
      windowStart: new Date(now - CREDIT_WINDOW_MS).toISOString(),
      nextRelease: usage.oldest === null ? null : new Date(usage.oldest + CREDIT_WINDOW_MS).toISOString(),
      inFlight: this.inFlight(orgId),
    };
  }
}
