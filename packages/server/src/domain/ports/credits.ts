// API credits (docs/credits.md).

/** An organisation's API limits switch and edition (docs/credits.md). */
export interface OrgApiLimits {
  /** Counted and enforced even while API_LIMITS is off. */
  enabled: boolean;
  edition: 'free' | 'paid';
  /** User licences: a paid edition's allowance grows by 250 per licence. */
  licences: number;
  /** Calls in flight at once; null: the edition's default. */
  concurrency: number | null;
}

/**
 * The rolling 24-hour API credit ledger, shared by every node on the same store. A call is kept
 * with its time and its cost; it counts while its time is after the window's start and is freed
 * once the window has moved past it.
 */
export interface ApiCreditLedger {
  limits(orgId: string): Promise<OrgApiLimits | null>;
  /** Sets (or, with null, removes) an organisation's limits. */
  setLimits(orgId: string, limits: OrgApiLimits | null): Promise<void>;
  /** Whether any organisation has limits enabled. */
  anyEnabled(): Promise<boolean>;
  /**
   * Atomically, across nodes: forgets the organisation's calls at or before `since`, then, if the
   * credits of its calls after `since` plus `credits` stay within `allowance`, records `credits`
   * at `at`. Answers whether they were recorded and the credits used afterwards.
   */
  charge(
    orgId: string,
    at: number,
    credits: number,
    since: number,
    allowance: number,
  ): Promise<{ granted: boolean; used: number }>;
  /** Credits and calls after `since`, and the time of the oldest such call (null if none). */
  usage(orgId: string, since: number): Promise<{ used: number; calls: number; oldest: number | null }>;
  /** Forgets every recorded call of the organisation (limits stay). */
  resetUsage(orgId: string): Promise<void>;
}
