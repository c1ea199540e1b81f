import type { EventEmitter } from 'node:events';
import { watch } from 'node:fs';

/**
 * Waits for a condition another party (the server, another process) brings about, without a
 * timer: `check` runs at once, then again after each change the file system reports under
 * `watch` (recursively), and after each event named in `on`. `withinMs` is a deadline that fails
 * the test, never a wait: a condition already true answers at once.
 */
export function until(
  what: string,
  check: () => Promise<boolean>,
  options: { watch?: string; on?: Array<[EventEmitter, string]>; withinMs?: number },
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let running = false;
    let again = false;
    let settled = false;
    const watcher = options.watch ? watch(options.watch, { recursive: true }, () => run()) : undefined;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      watcher?.close();
      for (const [emitter, name] of options.on ?? []) emitter.off(name, run);
      clearTimeout(deadline);
      if (error) reject(error);
      else resolve();
    };
    const deadline = setTimeout(
      () => finish(new Error(`not within ${options.withinMs ?? 10_000} ms: ${what}`)),
      options.withinMs ?? 10_000,
    );
    // One check at a time; changes during a check ask for one more after it.
    async function run(): Promise<void> {
      if (settled) return;
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        do {
          again = false;
          if (await check()) return finish();
        } while (again && !settled);
      } catch (error) {
        finish(error as Error);
      } finally {
        running = false;
      }
    }
    for (const [emitter, name] of options.on ?? []) emitter.on(name, run);
    void run();
  });
}
