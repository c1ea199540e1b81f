import type { Clock } from '../../domain/clock.js';

const MAX_FAILURES = 10;
const WINDOW_MS = 15 * 60_000;
const MAX_KEYS = 10_000;

/**
 * Slows password guessing on an exposed consent page: after 10 failed sign-ins for one e-mail
 * address in one data center, further attempts for it are refused unchecked until 15 minutes
 * after the first failure. Kept in memory (per process); bounded so that it cannot grow without limit.
 */
export class SignInThrottle {
  readonly #failures = new Map<string, { count: number; since: number }>();

  constructor(private readonly clock: Clock) {}

  allows(key: string): boolean {
    const entry = this.#failures.get(key);
    if (!entry) return true;
    if (this.clock.now() - entry.since >= WINDOW_MS) {
      this.#failures.delete(key);
      return true;
    }
    return entry.count < MAX_FAILURES;
  }

  failed(key: string): void {
    const now = this.clock.now();
    const entry = this.#failures.get(key);
    if (entry && now - entry.since < WINDOW_MS) entry.count++;
    else {
      if (this.#failures.size >= MAX_KEYS) this.#failures.delete(this.#failures.keys().next().value!);
      this.#failures.set(key, { count: 1, since: now });
    }
  }

  succeeded(key: string): void {
    this.#failures.delete(key);
  }
}
