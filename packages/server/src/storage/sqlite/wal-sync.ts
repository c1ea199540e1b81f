import { closeSync, fdatasync, openSync } from 'node:fs';

type Fdatasync = (fd: number, done: (error: NodeJS.ErrnoException | null) => void) => void;

/**
 * Group commit for the main connection's writes. A write transaction there commits at
 * `synchronous = NORMAL` (its frames reach the WAL file, without an fsync that would block the
 * event loop), then waits for `sync()`: one `fdatasync` of the WAL file in the libuv pool, shared
 * by every commit that finished before it started. Only then is the write acknowledged, so it is
 * exactly as durable as a commit at FULL, which does the same fsync on the event loop.
 *
 * A sync already running may have started before the caller's commit, so a caller arriving then
 * waits for the next one, which starts as soon as the running one ends and covers them all.
 */
export class WalSync {
  readonly #path: string;
  readonly #fdatasync: Fdatasync;
  #fd: number | null = null;
  #running: Promise<void> | null = null;
  #next: Promise<void> | null = null;
  #syncs = 0;

  /** `path` is the WAL file (`<database>-wal`); `sync` is replaceable for tests. */
  constructor(path: string, sync: Fdatasync = fdatasync) {
    this.#path = path;
    this.#fdatasync = sync;
  }

  /** How many fsyncs have completed: what tests count. */
  get syncs(): number {
    return this.#syncs;
  }

  /** Resolves once everything this connection committed before the call is on disk. */
  sync(): Promise<void> {
    if (this.#next) return this.#next;
    if (!this.#running) return this.#start();
    const after = this.#running.then(
      () => undefined,
      () => undefined,
    );
    this.#next = after.then(() => {
      this.#next = null;
      return this.#start();
    });
    return this.#next;
  }

  /** Closes the file; a sync still running keeps its own descriptor until it ends. */
  close(): void {
    const fd = this.#fd;
    if (fd === null) return;
    this.#fd = null;
    if (this.#running)
      void this.#running.then(
        () => closeSync(fd),
        () => closeSync(fd),
      );
    else closeSync(fd);
  }

  #start(): Promise<void> {
    // Opened once: the main connection keeps the WAL file (same inode) for as long as it is open;
    // a checkpoint truncates or rewinds it but never replaces it.
    this.#fd ??= openSync(this.#path, 'r');
    const fd = this.#fd;
    const running = new Promise<void>((resolve, reject) => {
      this.#fdatasync(fd, (error) => {
        this.#running = null;
        if (error) reject(error);
        else {
          this.#syncs++;
          resolve();
        }
      });
    });
    this.#running = running;
    return running;
  }
}
