/**
 * Progress for bulk commands. On a terminal: one line redrawn in place (`\r`, erase to end of
 * line). Elsewhere (pipes, CI logs): a plain line at every tenth, so logs stay readable.
 * Hand-written: it is one line of text, not worth a dependency and its terminal detection.
 */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export type ProgressMode = 'bar' | 'lines' | 'none';

export class Progress {
  #done = 0;
  #failed = 0;
  #lastDecile = -1;
  #lastDraw = 0;
  #drawn = false;

  constructor(
    private readonly stream: ProgressStream,
    private readonly label: string,
    private total: number | undefined,
    readonly mode: ProgressMode,
    private readonly now: () => number = Date.now,
  ) {}

  static modeFor(stream: ProgressStream, quiet: boolean): ProgressMode {
    if (quiet) return 'none';
    return stream.isTTY ? 'bar' : 'lines';
  }

  setTotal(total: number): void {
    this.total = total;
  }

  tick(ok: boolean): void {
    this.#done++;
    if (!ok) this.#failed++;
    this.#render(false);
  }

  /** Draws the final state and moves to a new line. */
  finish(): void {
    this.#render(true);
    if (this.mode === 'bar' && this.#drawn) this.stream.write('\n');
  }

  #render(force: boolean): void {
    if (this.mode === 'none') return;
    const total = this.total;
    if (this.mode === 'lines') {
      const decile = total ? Math.floor((this.#done / total) * 10) : Math.floor(this.#done / 100);
      if (decile === this.#lastDecile) return;
      this.#lastDecile = decile;
      this.stream.write(`${this.label}: ${this.#counts()}\n`);
      return;
    }
    // Redraw at most every 50 ms: a 10 000-item run would otherwise spend its time painting.
    const now = this.now();
    if (!force && this.#drawn && now - this.#lastDraw < 50 && this.#done !== total) return;
    this.#lastDraw = now;
    this.#drawn = true;
    const counts = this.#counts();
    const width = Math.max(
      10,
      Math.min(40, (this.stream.columns ?? 80) - this.label.length - counts.length - 6),
    );
    const ratio = total ? Math.min(1, this.#done / total) : 0;
    const filled = Math.round(ratio * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    this.stream.write(`\r${this.label} ${bar} ${counts}\x1b[K`);
  }

  #counts(): string {
    const total = this.total;
    const pct = total ? ` ${Math.floor((this.#done / total) * 100)}%` : '';
    const failed = this.#failed ? `, ${this.#failed} failed` : '';
    return `${this.#done}/${total ?? '?'}${pct}${failed}`;
  }
}

const MB = 1024 * 1024;
const mb = (n: number) => `${(n / MB).toFixed(1)} MB`;

/**
 * Progress of one transfer in bytes (a single large upload): on a terminal a bar redrawn in place;
 * elsewhere a line at every tenth; nothing in `none` mode. Same drawing rules as `Progress`.
 */
export class ByteProgress {
  #lastDecile = -1;
  #lastDraw = 0;
  #drawn = false;

  constructor(
    private readonly stream: ProgressStream,
    private readonly label: string,
    readonly mode: ProgressMode,
    private readonly now: () => number = Date.now,
  ) {}

  update(sent: number, total: number | undefined): void {
    if (this.mode === 'none') return;
    const done = total !== undefined && sent >= total;
    if (this.mode === 'lines') {
      // Without a total, a line per 10 MB.
      const decile = total ? Math.floor((sent / total) * 10) : Math.floor(sent / (10 * MB));
      if (decile === this.#lastDecile) return;
      this.#lastDecile = decile;
      this.stream.write(`${this.label}: ${this.#counts(sent, total)}\n`);
      return;
    }
    const now = this.now();
    if (this.#drawn && !done && now - this.#lastDraw < 50) return;
    this.#lastDraw = now;
    this.#drawn = true;
    const counts = this.#counts(sent, total);
    const width = Math.max(
      10,
      Math.min(40, (this.stream.columns ?? 80) - this.label.length - counts.length - 6),
    );
    const filled = total ? Math.round(Math.min(1, sent / total) * width) : 0;
    this.stream.write(`\r${this.label} ${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${counts}\x1b[K`);
  }

  /** Moves past the bar; call once the transfer ended, however it ended. */
  finish(): void {
    if (this.mode === 'bar' && this.#drawn) this.stream.write('\n');
  }

  #counts(sent: number, total: number | undefined): string {
    if (!total) return `${mb(sent)}`;
    return `${mb(sent)} of ${mb(total)} ${Math.floor(Math.min(1, sent / total) * 100)}%`;
  }
}
