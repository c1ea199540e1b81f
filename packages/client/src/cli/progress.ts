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
