import type Database from 'better-sqlite3';

interface Job<T> {
  run: () => T;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: writes that arrive in the same turn of the event loop run in one transaction,
 * so that many concurrent requests share one fsync instead of paying one each. Every caller is
 * answered only after the transaction holding its write has committed, so an acknowledged write is
 * exactly as durable as with a transaction of its own.
 *
 * If the shared transaction fails, each job is retried in a transaction of its own, so one bad
 * write cannot fail the others.
 */
export class GroupCommitter {
  readonly #db: Database.Database;
  #queue: Array<Job<unknown>> = [];
  #scheduled = false;

  constructor(db: Database.Database) {
    this.#db = db;
  }

  /** Runs `run` (synchronous statements only) inside the next group transaction. */
  enqueue<T>(run: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ run, resolve, reject } as Job<unknown>);
      if (!this.#scheduled) {
        this.#scheduled = true;
        // setImmediate runs after this turn's I/O callbacks: every request parsed in this turn
        // joins the batch.
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    const batch = this.#queue;
    this.#queue = [];
    this.#scheduled = false;
    if (!this.#db.open) {
      for (const job of batch) job.reject(new Error('The database connection is not open'));
      return;
    }
    let results: unknown[];
    try {
      results = this.#db.transaction(() => batch.map((job) => job.run())).immediate();
    } catch {
      for (const job of batch) {
        try {
          job.resolve(this.#db.transaction(job.run).immediate());
        } catch (error) {
          job.reject(error);
        }
      }
      return;
    }
    batch.forEach((job, i) => {
      job.resolve(results[i]);
    });
  }
}
