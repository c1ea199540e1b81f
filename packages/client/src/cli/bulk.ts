import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { APIError } from '../errors.js';
import type { Progress } from './progress.js';

/**
 * The journal of a bulk run: one JSON line per event (`start`, `ok`, `fail`) per item key, written
 * synchronously before and after each item. A run that is interrupted (Ctrl-C, crash, lost
 * connection) is resumed by running the same command: items journaled `ok` are skipped, the rest
 * are tried again.
 */
export class Journal {
  readonly #state = new Map<string, 'start' | 'ok' | 'fail'>();
  #fd: number | undefined;

  constructor(readonly path: string) {
    try {
      for (const line of readFileSync(path, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        try {
          const entry = JSON.parse(line) as { k: string; s: 'start' | 'ok' | 'fail' };
          this.#state.set(entry.k, entry.s);
        } catch {
          // A line cut short by a crash: the item will simply run again.
        }
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }

  get resuming(): boolean {
    return this.#state.size > 0;
  }

  stateOf(key: string): 'start' | 'ok' | 'fail' | undefined {
    return this.#state.get(key);
  }

  record(key: string, state: 'start' | 'ok' | 'fail', extra: Record<string, unknown> = {}): void {
    if (this.#fd === undefined) {
      mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
      this.#fd = openSync(this.path, 'a', 0o600);
    }
    writeSync(this.#fd, `${JSON.stringify({ k: key, s: state, ...extra })}\n`);
    this.#state.set(key, state);
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }

  remove(): void {
    this.close();
    rmSync(this.path, { force: true });
  }
}

export interface BulkFailure {
  id: string;
  code: string | undefined;
  status: number | undefined;
  message: string;
}

export interface BulkSummary {
  total: number;
  succeeded: number;
  failed: number;
  /** Done in an earlier, interrupted run of the same command. */
  skipped: number;
  interrupted: boolean;
  journal: string | undefined;
  failures: BulkFailure[];
}

export interface BulkOptions<T> {
  items: T[];
  key: (item: T) => string;
  action: (item: T) => Promise<void>;
  concurrency: number;
  journal: Journal | undefined;
  progress: Progress;
  /** Set when the user interrupts: no new item starts, running ones finish and are journaled. */
  stopSignal: AbortSignal;
  /**
   * An error that means the item was already done by an earlier attempt whose outcome was never
   * journaled (a delete that answers "no such attachment" after a `start` without an `ok`).
   */
  alreadyDone?: (error: unknown) => boolean;
}

/** Runs `action` over the items with at most `concurrency` in flight. Never throws for an item. */
export async function runBulk<T>(options: BulkOptions<T>): Promise<BulkSummary> {
  const { items, key, journal, progress } = options;
  const summary: BulkSummary = {
    total: items.length,
    succeeded: 0,
    failed: 0,
    skipped: 0,
    interrupted: false,
    journal: journal?.path,
    failures: [],
  };
  const pending: T[] = [];
  for (const item of items) {
    if (journal?.stateOf(key(item)) === 'ok') summary.skipped++;
    else pending.push(item);
  }
  progress.setTotal(items.length);
  for (let i = 0; i < summary.skipped; i++) progress.tick(true);

  let next = 0;
  const worker = async () => {
    while (next < pending.length && !options.stopSignal.aborted) {
      const item = pending[next++]!;
      const id = key(item);
      const wasStarted = journal?.stateOf(id) === 'start';
      journal?.record(id, 'start');
      try {
        await options.action(item);
        journal?.record(id, 'ok');
        summary.succeeded++;
        progress.tick(true);
      } catch (error) {
        if (wasStarted && options.alreadyDone?.(error)) {
          journal?.record(id, 'ok', { note: 'already done' });
          summary.succeeded++;
          progress.tick(true);
          continue;
        }
        const failure: BulkFailure = {
          id,
          code: error instanceof APIError ? error.code : undefined,
          status: error instanceof APIError ? error.status : undefined,
          message: error instanceof Error ? error.message : String(error),
        };
        journal?.record(id, 'fail', { c: failure.code });
        summary.failed++;
        summary.failures.push(failure);
        progress.tick(false);
      }
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(options.concurrency, pending.length)) }, worker),
  );
  progress.finish();
  summary.interrupted = options.stopSignal.aborted && summary.succeeded + summary.failed < pending.length;
  if (journal) {
    if (!summary.interrupted && summary.failed === 0) {
      journal.remove();
      summary.journal = undefined;
    } else {
      journal.close();
    }
  }
  return summary;
}
