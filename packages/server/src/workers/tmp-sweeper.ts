import type { FastifyBaseLogger } from 'fastify';
import type { BlobStore } from '../domain/ports.js';

/**
 * Sweeps the blob store's staged uploads at start and then every `intervalMs` (issue 14 F2: a
 * crash mid-upload used to leave its partial file in `blobs/.tmp` forever). `safeAgeMs` is how
 * long a file must have gone unwritten before it counts as abandoned.
 */
export function startTmpSweeper(
  blobs: BlobStore,
  options: { intervalMs: number; safeAgeMs: number; log: FastifyBaseLogger },
): { runOnce(): Promise<number>; stop(): Promise<void> } {
  let running: Promise<number> | null = null;
  const runOnce = () => {
    running ??= (blobs.sweepTemporary?.(options.safeAgeMs) ?? Promise.resolve(0))
      .then((removed) => {
        if (removed > 0) options.log.info({ removed }, 'removed abandoned temporary upload files');
        return removed;
      })
      .catch((error: unknown) => {
        options.log.warn({ err: error }, 'temporary upload sweep failed');
        return 0;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  const timer = setInterval(() => void runOnce(), options.intervalMs);
  timer.unref();
  void runOnce();
  return {
    runOnce,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

/** The configured age, but never under twice the body-inactivity timeout: past that no live upload can own a file. */
export function tmpSafeAgeMs(configuredMs: number, bodyIdleMs: number): number {
  return Math.max(configuredMs, 2 * bodyIdleMs);
}
