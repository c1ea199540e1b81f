/** The only source of time in the server; tests pass a ManualClock to expire tokens without sleeping. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export type ClockMode = 'real' | 'frozen' | 'offset';

/** What a virtual clock reads now, and how it moves: the admin API's `GET /_admin/clock`. */
export interface ClockState {
  mode: ClockMode;
  /** Milliseconds since the epoch, as every rule of the server sees them. */
  now: number;
  /** How far ahead of real time the clock runs (offset mode); 0 in real mode; for frozen, now − real. */
  offsetMs: number;
}

/**
 * The server's one clock when time is to be controlled from outside: real time (the default),
 * frozen at an instant, or real time plus an offset. Moving it never moves it backwards by
 * accident: `advance` refuses negative durations, `set` takes any instant on purpose.
 */
export class VirtualClock implements Clock {
  #mode: ClockMode = 'real';
  #frozenAt = 0;
  #offsetMs = 0;
  readonly #real: () => number;

  constructor(start: ClockStart = { mode: 'real' }, real: () => number = () => Date.now()) {
    this.#real = real;
    this.apply(start);
  }

  now(): number {
    if (this.#mode === 'frozen') return this.#frozenAt;
    return this.#real() + this.#offsetMs;
  }

  // One reading of real time: two could straddle a millisecond and report an offset clock's
  // offset one off from the one it was given.
  state(): ClockState {
    const real = this.#real();
    if (this.#mode === 'frozen')
      return { mode: 'frozen', now: this.#frozenAt, offsetMs: this.#frozenAt - real };
    if (this.#mode === 'offset')
      return { mode: 'offset', now: real + this.#offsetMs, offsetMs: this.#offsetMs };
    return { mode: 'real', now: real, offsetMs: 0 };
  }

  /** Switches mode; `at` is where a frozen or offset clock starts (default: the current reading). */
  apply(start: ClockStart): void {
    const at = start.at ?? this.now();
    if (start.mode === 'real') {
      this.#mode = 'real';
      this.#offsetMs = 0;
    } else if (start.mode === 'frozen') {
      this.#mode = 'frozen';
      this.#frozenAt = at;
    } else {
      this.#mode = 'offset';
      this.#offsetMs = start.offsetMs ?? at - this.#real();
    }
  }

  /** Moves the clock to `at`, keeping a frozen clock frozen; a real clock becomes an offset one. */
  set(at: number): void {
    this.apply({ mode: this.#mode === 'frozen' ? 'frozen' : 'offset', at });
  }

  /** Moves the clock forward by `ms`, keeping a frozen clock frozen; a real clock becomes an offset one. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('advance takes a duration of 0 ms or more');
    this.set(this.now() + ms);
  }
}

export interface ClockStart {
  mode: ClockMode;
  /** Frozen or offset: the instant the clock reads now. */
  at?: number;
  /** Offset: the offset itself (wins over `at`). */
  offsetMs?: number;
}

/**
 * The CLOCK setting and `--clock` flag: `real`, `frozen` (at the start instant), an ISO 8601
 * instant (frozen there), or `from:<instant>` (running from there).
 */
export function parseClockSetting(text: string): ClockStart | null {
  const value = text.trim();
  if (value === 'real') return { mode: 'real' };
  if (value === 'frozen') return { mode: 'frozen' };
  const running = value.startsWith('from:');
  const instant = parseInstant(running ? value.slice('from:'.length) : value);
  if (instant === null) return null;
  return running ? { mode: 'offset', at: instant } : { mode: 'frozen', at: instant };
}

/** An ISO 8601 date-time with an offset (`Z` or `±hh:mm`); null for anything else. */
export function parseInstant(text: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `250ms`, `90s`, `10m`, `1h30m`, `30d` (whole numbers, units largest first or in any order); null if invalid. */
export function parseDuration(text: string): number | null {
  const value = text.trim();
  if (!/^(\d+(ms|s|m|h|d))+$/.test(value)) return null;
  let total = 0;
  for (const [, amount, unit] of value.matchAll(/(\d+)(ms|s|m|h|d)/g))
    total += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  return Number.isSafeInteger(total) ? total : null;
}

/** A clock that moves only when told to (a VirtualClock frozen at `start`); tests move it directly. */
export class ManualClock extends VirtualClock {
  constructor(start: number | Date) {
    super({ mode: 'frozen', at: typeof start === 'number' ? start : start.getTime() });
  }
  override set(at: number | Date): void {
    super.set(typeof at === 'number' ? at : at.getTime());
  }
  /** Any duration, backwards included (tests of clock skew). */
  override advance(ms: number): void {
    this.set(this.now() + ms);
  }
}
