import type { Clock } from '../clock.js';

/** One request as the journal keeps it. Times are the server clock's milliseconds. */
export interface JournalEntry {
  /** Increasing per process; the paging cursor. */
  seq: number;
  requestId: string;
  at: number;
  dataCenter: string | null;
  orgId: string | null;
  userId: string | null;
  clientId: string | null;
  method: string;
  path: string;
  /** The query string, secret parameters redacted; '' when there is none. */
  query: string;
  status: number;
  /** The wire code of an error answer (`code` in Bigin's envelope, `error` in Zoho Accounts'). */
  code: string | null;
  /** The rule that decided the answer, as the request's log line names it. */
  rule: string | null;
  /** The forced fault, when one decided the answer (docs/faults.md). */
  fault: string | null;
  latencyMs: number;
  requestBody: string | null;
  responseBody: string | null;
}

export interface JournalFilter {
  orgId?: string;
  /** A path prefix, or a pattern with `*` for any run of characters. */
  path?: string;
  /** An exact status (`404`) or a class (`4xx`). */
  status?: string;
  code?: string;
  method?: string;
  rule?: string;
  /** Only entries with (true) or without (false) a forced fault. */
  faulted?: boolean;
  /** Inclusive bounds on `at`. */
  from?: number;
  to?: number;
  /** Entries older than this sequence number only (the previous page's `next`). */
  before?: number;
}

export interface JournalOptions {
  maxEntries: number;
  maxAgeMs: number;
}

/**
 * A bounded ring of the latest requests of this process, newest last. Retention holds by count
 * (a full ring overwrites its oldest entry) and by age (entries older than `maxAgeMs` on the
 * clock are dropped when the journal is written or read). Memory is therefore bounded by
 * `maxEntries` × (fixed fields + two bodies of at most the configured size).
 */
export class RequestJournal {
  readonly #ring: Array<JournalEntry | undefined>;
  readonly #clock: Clock;
  readonly #maxAgeMs: number;
  /** Index of the oldest entry, and how many entries the ring holds. */
  #start = 0;
  #size = 0;
  #seq = 0;
  readonly #listeners = new Set<(entry: JournalEntry) => void>();

  constructor(clock: Clock, options: JournalOptions) {
    this.#clock = clock;
    this.#ring = new Array(options.maxEntries);
    this.#maxAgeMs = options.maxAgeMs;
  }

  get size(): number {
    this.#expire();
    return this.#size;
  }

  add(entry: Omit<JournalEntry, 'seq'>): JournalEntry {
    const stored: JournalEntry = { seq: ++this.#seq, ...entry };
    const capacity = this.#ring.length;
    if (this.#size < capacity) {
      this.#ring[(this.#start + this.#size) % capacity] = stored;
      this.#size++;
    } else {
      this.#ring[this.#start] = stored;
      this.#start = (this.#start + 1) % capacity;
    }
    this.#expire();
    for (const listener of this.#listeners) listener(stored);
    return stored;
  }

  /** Newest first; `next` is the cursor of the following page, or null at the end. */
  query(filter: JournalFilter, limit: number): { entries: JournalEntry[]; next: number | null } {
    this.#expire();
    const match = compile(filter);
    const entries: JournalEntry[] = [];
    const capacity = this.#ring.length;
    for (let i = this.#size - 1; i >= 0; i--) {
      const entry = this.#ring[(this.#start + i) % capacity]!;
      if (!match(entry)) continue;
      if (entries.length === limit) return { entries, next: entries[entries.length - 1]!.seq };
      entries.push(entry);
    }
    return { entries, next: null };
  }

  /** Calls `listener` with each entry added from now on, until the returned function is called. */
  subscribe(listener: (entry: JournalEntry) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  clear(): void {
    this.#ring.fill(undefined);
    this.#start = 0;
    this.#size = 0;
  }

  #expire(): void {
    const oldest = this.#clock.now() - this.#maxAgeMs;
    const capacity = this.#ring.length;
    while (this.#size > 0 && this.#ring[this.#start]!.at < oldest) {
      this.#ring[this.#start] = undefined;
      this.#start = (this.#start + 1) % capacity;
      this.#size--;
    }
  }
}

/** Builds the predicate of a filter once, so that a query over a full ring stays cheap. */
export function compile(filter: JournalFilter): (entry: JournalEntry) => boolean {
  const checks: Array<(e: JournalEntry) => boolean> = [];
  const { orgId, path, status, code, method, rule, faulted, from, to, before } = filter;
  if (orgId !== undefined) checks.push((e) => e.orgId === orgId);
  if (path !== undefined) {
    if (path.includes('*')) {
      const pattern = globToRegExp(path);
      checks.push((e) => pattern.test(e.path));
    } else checks.push((e) => e.path.startsWith(path));
  }
  if (status !== undefined) {
    const cls = /^([1-5])xx$/i.exec(status);
    if (cls) {
      const hundred = Number(cls[1]);
      checks.push((e) => Math.floor(e.status / 100) === hundred);
    } else {
      const exact = Number(status);
      checks.push((e) => e.status === exact);
    }
  }
  if (code !== undefined) checks.push((e) => e.code === code);
  if (method !== undefined) checks.push((e) => e.method === method.toUpperCase());
  if (rule !== undefined) checks.push((e) => e.rule?.startsWith(rule) === true);
  if (faulted !== undefined) checks.push((e) => (e.fault !== null) === faulted);
  if (from !== undefined) checks.push((e) => e.at >= from);
  if (to !== undefined) checks.push((e) => e.at <= to);
  if (before !== undefined) checks.push((e) => e.seq < before);
  return (e) => checks.every((check) => check(e));
}

/** `*` matches any run of characters; everything else literally. */
export function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`);
}
