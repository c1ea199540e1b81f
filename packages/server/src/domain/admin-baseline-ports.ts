/**
 * What the admin API's reset returns to (issue 16, D26): per organisation, its state right after
 * the fixture load or the admin call that made it. Kept in the metadata store, so that a reset
 * after a restart, or on any node of a scale-out deployment, restores the same state.
 */
export interface AdminBaseline {
  orgId: string;
  /** `fixture`: loaded from a fixture, comes back on a full reset; `created`: made by an admin call, removed by one. */
  kind: 'fixture' | 'created';
  /** The organisation's export, as JSON text: opaque to the store, compared byte for byte by reset tests. */
  snapshot: string;
  /** The fixture organisation as written (JSON text, with its base folder), the template of `from` copies; null for `created`. */
  template: string | null;
  /** SHA-256 of the fixture file's content the baseline was taken after; null when not from a start's fixture. */
  fixtureSha256: string | null;
  recordedAt: number;
}

export interface AdminBaselineRepository {
  /** Stores the baseline, replacing the organisation's previous one. */
  put(baseline: AdminBaseline): Promise<void>;
  /**
   * Stores the baseline only when the organisation has none yet; returns the one stored after the
   * call (nodes starting together with one fixture all keep the first).
   */
  putIfAbsent(baseline: AdminBaseline): Promise<AdminBaseline>;
  get(orgId: string): Promise<AdminBaseline | null>;
  /** Every baseline, by organisation id. */
  list(): Promise<AdminBaseline[]>;
  /** True when there was one. */
  remove(orgId: string): Promise<boolean>;
}
