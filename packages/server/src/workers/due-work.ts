/**
 * Work that falls due when time moves: each worker registers its one pass (`runOnce`) here, and
 * moving the virtual clock (admin `PUT /_admin/clock`, `POST /_admin/clock/advance`) runs every pass
 * in registration order before it answers, so that what the new time makes due is done. The
 * workers' own timers keep running on real time beside this.
 */
export interface DueWorkResult {
  name: string;
  ok: boolean;
  /** The failure's message when `ok` is false. */
  error?: string;
}

export class DueWork {
  readonly #passes: Array<{ name: string; runOnce: () => Promise<unknown> }> = [];
  #queue: Promise<unknown> = Promise.resolve();

  /** Adds a pass; names are unique (a second registration under one name is a bug). */
  register(name: string, runOnce: () => Promise<unknown>): void {
    if (this.#passes.some((p) => p.name === name)) throw new Error(`due work ${name} is registered twice`);
    this.#passes.push({ name, runOnce });
  }

  names(): string[] {
    return this.#passes.map((p) => p.name);
  }

  /**
   * Runs every pass once, in order; one failing does not stop the next. Calls made while a run is
   * in progress wait for it, then run their own, so every caller sees the passes run after its call.
   */
  runAll(): Promise<DueWorkResult[]> {
    const run = this.#queue.then(async () => {
      const results: DueWorkResult[] = [];
      for (const pass of this.#passes) {
        try {
          await pass.runOnce();
          results.push({ name: pass.name, ok: true });
        } catch (error) {
          results.push({ name: pass.name, ok: false, error: (error as Error).message });
        }
      }
      return results;
    });
    this.#queue = run.catch(() => {});
    return run;
  }
}
