import type { FastifyBaseLogger } from 'fastify';
import type { NotificationRepository } from '../domain/ports.js';
import { attemptDelivery, type DeliverDeps } from '../notifications/deliver-callback.js';

export interface NotificationWorkerDeps extends DeliverDeps {
  notifications: NotificationRepository;
}

/** Claims per pass before a pass yields (each claim is at most `concurrency` callbacks). */
const MAX_ROUNDS_PER_PASS = 1000;

/**
 * Delivers due callbacks: claims up to `concurrency` (each the oldest pending one of its channel),
 * sends them in parallel, records each outcome, and repeats while there is due work. All time
 * comes from the clock, so tests advance a ManualClock and call `runOnce()`. The lease covers
 * the longest attempt twice over: a node that dies mid-attempt leaves its claims to others once
 * it runs out, which is the "at least once" of docs/notifications.md.
 */
export function startNotificationWorker(
  deps: NotificationWorkerDeps,
  options: { intervalMs: number; log: FastifyBaseLogger },
) {
  const leaseMs = 2 * deps.settings.timeoutMs + 1000;
  const pass = async () => {
    for (let round = 0; round < MAX_ROUNDS_PER_PASS; round++) {
      const now = deps.clock.now();
      const claims = await deps.notifications.claimDue({
        now,
        leaseUntil: now + leaseMs,
        limit: deps.settings.concurrency,
      });
      if (claims.length === 0) return;
      await Promise.all(
        claims.map(async (claim) => {
          const outcome = await attemptDelivery(deps, claim);
          await deps.notifications.finish(outcome);
          if (outcome.status === 'failed' || outcome.status === 'expired')
            options.log.warn(
              {
                channel: claim.entry.channelId,
                seq: claim.entry.seq,
                attempts: outcome.attempt,
                error: outcome.error,
              },
              `notification ${outcome.status}`,
            );
        }),
      );
    }
  };
  // A call during a pass queues one more pass after it (shared by every call meanwhile), so that
  // work committed before the call is always looked at.
  let tail: Promise<void> = Promise.resolve();
  let queued: Promise<void> | null = null;
  const runOnce = (): Promise<void> => {
    if (queued) return queued;
    const next = tail.then(() => {
      queued = null;
      return pass().catch((err: unknown) =>
        options.log.error({ err }, 'notification delivery failed; it will be retried'),
      );
    });
    queued = next;
    tail = next;
    return next;
  };
  const timer = setInterval(runOnce, options.intervalMs);
  timer.unref();
  return {
    runOnce,
    async stop() {
      clearInterval(timer);
      await tail;
    },
  };
}
