import pg from 'pg';
import { inOwnTransaction } from './pg-support.js';

/** One statement of a write, as the dialect sends it (its name, when it has one, included). */
export type PgStep = readonly [query: pg.QueryConfig, params: readonly unknown[]];

interface Job {
  steps: readonly PgStep[];
  resolve: (changes: number[]) => void;
  reject: (error: unknown) => void;
}

export interface PgGroupCommitOptions {
  /** Statements one shared transaction takes at most; a write is never split. */
  maxSteps?: number;
  /** Shared transactions committing at once, each on a pooled connection of its own. */
  maxInFlight?: number;
}

/**
 * Group commit on PostgreSQL: writes that arrive in the same turn of the event loop, or while the
 * previous shared transactions are committing, run in one transaction on one pooled connection,
 * so that many concurrent requests share one COMMIT (one WAL flush with `synchronous_commit=on`)
 * instead of paying one each. Every caller is answered only after that COMMIT has succeeded, so
 * an acknowledged write is exactly as durable as with a transaction of its own.
 *
 * A write alone keeps the path it had without grouping (`alone`): at low load nothing waits for
 * anything. If a shared transaction fails on a statement, each of its writes runs again alone, in
 * order, so one bad write fails only itself. Any other failure (no connection, a connection lost
 * or terminated under the batch) fails every write of the batch, as it fails a write alone on
 * that connection: after a lost COMMIT the outcome is unknown, and one at a time the writes would
 * each wait out the connection timeout again.
 *
 * At most `maxInFlight` transactions hold a connection, so that the pool stays free for reads;
 * writes arriving meanwhile wait for the next one.
 */
export class PgGroupCommitter {
  readonly #pool: pg.Pool;
  readonly #alone: (steps: readonly PgStep[]) => Promise<number[]>;
  readonly #maxSteps: number;
  readonly #maxInFlight: number;
  #queue: Job[] = [];
  #scheduled = false;
  #inFlight = 0;
  #idle: Array<() => void> = [];

  constructor(
    pool: pg.Pool,
    alone: (steps: readonly PgStep[]) => Promise<number[]>,
    options: PgGroupCommitOptions = {},
  ) {
    this.#pool = pool;
    this.#alone = alone;
    this.#maxSteps = options.maxSteps ?? 128;
    this.#maxInFlight = options.maxInFlight ?? 2;
  }

  /** Runs the statements in order, all or none; resolves with the rows each changed, once committed. */
  write(steps: readonly PgStep[]): Promise<number[]> {
    return new Promise<number[]>((resolve, reject) => {
      this.#queue.push({ steps, resolve, reject });
      this.#schedule();
    });
  }

  /** Resolves once every write handed in so far has been answered (before the pool is ended). */
  drain(): Promise<void> {
    if (this.#queue.length === 0 && this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #schedule(): void {
    if (this.#scheduled || this.#queue.length === 0 || this.#inFlight >= this.#maxInFlight) return;
    this.#scheduled = true;
    // setImmediate runs after this turn's I/O callbacks: every request parsed in this turn joins.
    setImmediate(() => {
      this.#scheduled = false;
      while (this.#inFlight < this.#maxInFlight && this.#queue.length > 0) {
        const batch = this.#take();
        this.#inFlight++;
        void this.#commit(batch).finally(() => {
          this.#inFlight--;
          this.#schedule();
          if (this.#queue.length === 0 && this.#inFlight === 0)
            for (const resolve of this.#idle.splice(0)) resolve();
        });
      }
    });
  }

  #take(): Job[] {
    let steps = 0;
    let n = 0;
    while (n < this.#queue.length && (n === 0 || steps + this.#queue[n]!.steps.length <= this.#maxSteps))
      steps += this.#queue[n++]!.steps.length;
    return this.#queue.splice(0, n);
  }

  async #commit(batch: Job[]): Promise<void> {
    if (batch.length === 1) return this.#runAlone(batch);
    let changes: number[][];
    try {
      changes = await inOwnTransaction(this.#pool, async (client) => {
        if (client.pipeline) return pipelined(client, batch);
        await client.query('BEGIN');
        const all: number[][] = [];
        for (const job of batch) {
          const mine: number[] = [];
          for (const [query, params] of job.steps)
            mine.push((await client.query({ ...query, values: params as unknown[] })).rowCount ?? 0);
          all.push(mine);
        }
        await client.query('COMMIT');
        return all;
      });
    } catch (error) {
      if (!isStatementError(error)) {
        for (const job of batch) job.reject(error);
        return;
      }
      // Rolled back: nothing of the batch is committed, so each write is retried on its own.
      return this.#runAlone(batch);
    }
    for (const [i, job] of batch.entries()) job.resolve(changes[i]!);
  }

  async #runAlone(jobs: Job[]): Promise<void> {
    for (const job of jobs) {
      try {
        job.resolve(await this.#alone(job.steps));
      } catch (error) {
        job.reject(error);
      }
    }
  }
}

/**
 * Every statement of the batch and the COMMIT written at once, answered in one round trip: on a
 * pipelining client node-postgres sends each query without waiting for the one before. A failed
 * statement leaves the transaction aborted, so the statements after it fail too and the COMMIT
 * rolls back (answering ROLLBACK, without an error): the first failure is thrown.
 */
async function pipelined(client: pg.PoolClient, batch: readonly Job[]): Promise<number[][]> {
  const begin = client.query('BEGIN');
  const sent = batch.map((job) =>
    job.steps.map(([query, params]) => client.query({ ...query, values: params as unknown[] })),
  );
  const commit = client.query('COMMIT');
  const settled = await Promise.allSettled([begin, ...sent.flat(), commit]);
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  if ((await commit).command !== 'COMMIT') throw new Error('The group transaction was rolled back');
  return Promise.all(sent.map((steps) => Promise.all(steps.map(async (r) => (await r).rowCount ?? 0))));
}

/**
 * An error the server answered a statement (or the COMMIT) with, the connection still usable: the
 * transaction is known to be rolled back. Not a FATAL one (pg_terminate_backend, a shutdown), nor
 * a lost connection, after which a COMMIT already sent may have taken effect.
 */
function isStatementError(error: unknown): boolean {
  return error instanceof pg.DatabaseError && error.severity !== 'FATAL' && error.severity !== 'PANIC';
}
