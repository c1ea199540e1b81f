import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { reportGroupCommit } from '../store-events.js';
import type { SqliteSynchronous } from './sqlite-metadata-store.js';

/** One statement of a write: its SQL and its parameters (positional, or one object of named ones). */
export interface WriteStep {
  sql: string;
  params: unknown[];
}

interface Job {
  id: number;
  steps: WriteStep[];
  /** Answer the rows of the one step (a `… RETURNING`) instead of the rows each step changed. */
  returning?: true;
}

type Reply = { id: number; changes: unknown[] } | { id: number; error: { message: string; code?: string } };

// The worker's code, run with `eval` so that it works the same from the compiled output and from
// the TypeScript sources under test. It is plain CommonJS: require() is the worker's own.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.betterSqlite3);
const db = new Database(workerData.path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = ' + workerData.synchronous);
db.pragma('foreign_keys = ON');
db.pragma('busy_timeout = ' + workerData.busyTimeoutMs);
// The same function as sqlite-functions.ts registers: the unique-field indexes are built on it.
db.function('bigin_fold', { deterministic: true }, (v) => (typeof v === 'string' ? v.toLowerCase() : v));
const statements = new Map();
const statement = (sql) => {
  let s = statements.get(sql);
  if (!s) { s = db.prepare(sql); statements.set(sql, s); }
  return s;
};
// all(), never get(): better-sqlite3's get() on a RETURNING statement leaves it unfinished, and
// stops automatic WAL checkpoints.
const runOne = (job) =>
  job.returning
    ? statement(job.steps[0].sql).all(...job.steps[0].params)
    : job.steps.map((step) => statement(step.sql).run(...step.params).changes);
const failure = (error) => ({ message: error instanceof Error ? error.message : String(error), code: error && error.code });
let queue = [];
let scheduled = false;
function flush() {
  scheduled = false;
  const batch = queue;
  queue = [];
  if (batch.length === 0) return;
  let replies;
  const started = process.hrtime.bigint();
  try {
    const changes = db.transaction(() => batch.map(runOne)).immediate();
    replies = batch.map((job, i) => ({ id: job.id, changes: changes[i] }));
  } catch {
    // One bad write must not fail the others: each again, in a transaction of its own.
    replies = batch.map((job) => {
      try {
        return { id: job.id, changes: db.transaction(() => runOne(job)).immediate() };
      } catch (error) {
        return { id: job.id, error: failure(error) };
      }
    });
  }
  parentPort.postMessage({ replies, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
}
parentPort.on('message', (message) => {
  if (message === 'close') {
    flush();
    db.close();
    parentPort.close();
    return;
  }
  for (const job of message) queue.push(job);
  if (!scheduled) {
    scheduled = true;
    // Every message that arrived while the last batch was committing is handled before this
    // runs, so they all share the next transaction and its fsync.
    setImmediate(flush);
  }
});
`;

/**
 * Group commit on a thread of its own. Writes sent in one turn of the main event loop travel in one
 * message; the writer thread runs everything that reached it in one transaction with one fsync
 * and answers each write only after that commit, so an acknowledged write is exactly as durable
 * as with a transaction of its own. The main thread never waits for the fsync: while a batch is
 * committing, the next batch is already being collected (pipelining), and WAL checkpoints run on
 * the writer's connection too.
 *
 * The writer has its own connection to the same file (WAL: the main connection's next read sees a
 * committed write). If a batch fails, each write is retried alone, so one bad write cannot fail
 * the others. `close()` commits what was sent, then stops the thread; writes sent after it are
 * refused.
 */
export class WriterThread {
  readonly #worker: Worker;
  readonly #pending = new Map<
    number,
    { resolve: (changes: unknown[]) => void; reject: (error: Error) => void }
  >();
  readonly #exited: Promise<void>;
  #outbox: Job[] = [];
  #scheduled = false;
  #nextId = 1;
  #closed = false;

  constructor(options: { path: string; synchronous: SqliteSynchronous; busyTimeoutMs: number }) {
    this.#worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { ...options, betterSqlite3: createRequire(import.meta.url).resolve('better-sqlite3') },
    });
    this.#worker.on('message', ({ replies, seconds }: { replies: Reply[]; seconds: number }) => {
      reportGroupCommit(replies.length, seconds);
      for (const reply of replies) {
        const waiter = this.#pending.get(reply.id);
        if (!waiter) continue;
        this.#pending.delete(reply.id);
        if (this.#pending.size === 0) this.#worker.unref();
        if ('error' in reply)
          waiter.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
        else waiter.resolve(reply.changes);
      }
    });
    this.#worker.unref();
    this.#exited = new Promise((resolve) => {
      this.#worker.on('error', (error) => this.#failAll(error));
      this.#worker.on('exit', () => {
        this.#closed = true;
        this.#failAll(new Error('The writer thread has stopped'));
        resolve();
      });
    });
  }

  /** Runs one write statement in the next group transaction; resolves with the rows it changed, once committed. */
  async run(sql: string, params: unknown[]): Promise<number> {
    const [changes] = await this.runSteps([{ sql, params }]);
    return changes ?? 0;
  }

  /**
   * Runs statements in order, all or none (they share the group transaction, or have one of their
   * own on a retry); resolves with the rows each changed, once committed.
   */
  runSteps(steps: WriteStep[]): Promise<number[]> {
    return this.#submit({ id: 0, steps }) as Promise<number[]>;
  }

  /**
   * Runs one statement that answers rows (`… RETURNING`) in the next group transaction, and
   * resolves with them once committed. Main-connection writes wait for the writer's lock in
   * SQLite's busy handler, which sleeps on the event loop (1 ms, then 2, 5…): a write the writer
   * runs itself never does.
   */
  runReturning(step: WriteStep): Promise<Record<string, unknown>[]> {
    return this.#submit({ id: 0, steps: [step], returning: true }) as Promise<Record<string, unknown>[]>;
  }

  #submit(job: Job): Promise<unknown[]> {
    if (this.#closed) return Promise.reject(new Error('The writer thread is closed'));
    const id = this.#nextId++;
    // Referenced only while writes are in flight: an idle writer never keeps the process alive.
    if (this.#pending.size === 0) this.#worker.ref();
    const done = new Promise<unknown[]>((resolve, reject) => this.#pending.set(id, { resolve, reject }));
    job.id = id;
    this.#outbox.push(job);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.#send());
    }
    return done;
  }

  /** Commits every write already sent, then stops the thread. */
  async close(): Promise<void> {
    if (!this.#closed) {
      this.#send();
      this.#closed = true;
      // Referenced until it exits: an idle (unreferenced) worker would let the event loop empty
      // while close() is awaited, and a caller's `await store.close()` would never resume.
      this.#worker.ref();
      this.#worker.postMessage('close');
    }
    await this.#exited;
  }

  #send(): void {
    this.#scheduled = false;
    if (this.#outbox.length === 0) return;
    const jobs = this.#outbox;
    this.#outbox = [];
    this.#worker.postMessage(jobs);
  }

  #failAll(error: Error): void {
    for (const waiter of this.#pending.values()) waiter.reject(error);
    this.#pending.clear();
  }
}
