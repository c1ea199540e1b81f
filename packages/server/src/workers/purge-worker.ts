import type { FastifyBaseLogger } from 'fastify';
import { type PurgeDeps, purge } from '../domain/recycle-bin.js';

/**
 * Runs the purge every `intervalMs`, never two at once, off the request path. `stop` waits for a
 * run in progress to finish.
 */
export function startPurgeWorker(
  deps: PurgeDeps,
  options: {
    intervalMs: number;
    log: FastifyBaseLogger;
    /** Every finished run's report (metrics). */
    onReport?: (report: Awaited<ReturnType<typeof purge>>) => void;
  },
) {
  let running: Promise<void> | null = null;
  const runOnce = () => {
    if (running) return running;
    running = purge(deps)
      .then((report) => {
        options.onReport?.(report);
        if (report.attachments || report.abandonedBlobs || report.records || report.photos)
          options.log.info({ purge: report }, 'purge finished');
      })
      .catch((err: unknown) => options.log.error({ err }, 'purge failed; it will be retried'))
      .finally(() => {
        running = null;
      });
    return running;
  };
  // A pass that starts after the call: one already running may have read the time before a clock move.
  const runFresh = async () => {
    if (running) await running;
    return runOnce();
  };
  const timer = setInterval(runOnce, options.intervalMs);
  timer.unref();
  return {
    runOnce,
    runFresh,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
