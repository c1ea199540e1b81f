import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Journal, runBulk } from '../src/cli/bulk.js';
import { Progress } from '../src/cli/progress.js';
import { InvalidDataError } from '../src/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bigin-units-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function sink(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns: 60, write: (t: string) => writes.push(t) } };
}

describe('Progress', () => {
  it('redraws one terminal line in place, throttled, and ends it with a newline', () => {
    const out = sink(true);
    let now = 0;
    const p = new Progress(out.stream, 'Deleted', 4, 'bar', () => now);
    p.tick(true);
    p.tick(false); // within 50 ms of the last draw: skipped
    now = 100;
    p.tick(true);
    p.tick(true); // the last item is always drawn
    p.finish();
    expect(out.writes.map((w) => w.replace(/[█░]+/, 'BAR'))).toEqual([
      '\rDeleted BAR 1/4 25%\u001b[K',
      '\rDeleted BAR 3/4 75%, 1 failed\u001b[K',
      '\rDeleted BAR 4/4 100%, 1 failed\u001b[K',
      '\rDeleted BAR 4/4 100%, 1 failed\u001b[K',
      '\n',
    ]);
  });

  it('prints nothing when quiet and lines when not on a terminal', () => {
    expect(Progress.modeFor({ write: () => true, isTTY: true }, true)).toBe('none');
    expect(Progress.modeFor({ write: () => true, isTTY: false }, false)).toBe('lines');
    expect(Progress.modeFor({ write: () => true, isTTY: true }, false)).toBe('bar');
  });
});

describe('bulk runs', () => {
  const never = new AbortController().signal;
  const quiet = () => new Progress({ write: () => true }, 'x', undefined, 'none');

  it('keeps at most `concurrency` items in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const summary = await runBulk({
      items: Array.from({ length: 20 }, (_, i) => String(i)),
      key: (id) => id,
      action: async () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight--;
      },
      concurrency: 3,
      journal: undefined,
      progress: quiet(),
      stopSignal: never,
    });
    expect(peak).toBe(3);
    expect(summary).toMatchObject({ total: 20, succeeded: 20, failed: 0, skipped: 0, interrupted: false });
  });

  it('skips journaled items, counts a started delete that is now gone as done, tolerates a torn last line', async () => {
    const path = join(dir, 'journal.jsonl');
    await writeFile(
      path,
      [
        '{"k":"a","s":"start"}',
        '{"k":"a","s":"ok"}',
        '{"k":"b","s":"start"}',
        '{"k":"c","s":"fail"}',
        '{"k":"d","s":"st',
      ].join('\n'),
    );
    const journal = new Journal(path);
    expect(journal.resuming).toBe(true);
    const ran: string[] = [];
    const gone = new InvalidDataError({
      status: 400,
      code: 'INVALID_DATA',
      message: 'gone',
      details: { resource_path_index: 3 },
    });
    const summary = await runBulk({
      items: ['a', 'b', 'c', 'd', 'e'],
      key: (id) => id,
      action: async (id) => {
        ran.push(id);
        if (id === 'b' || id === 'e') throw gone;
      },
      concurrency: 1,
      journal,
      progress: quiet(),
      stopSignal: never,
      alreadyDone: (error) => error instanceof InvalidDataError,
    });
    expect(ran).toEqual(['b', 'c', 'd', 'e']);
    // b was started by the earlier run, so its INVALID_DATA means done; e was never started: a failure.
    expect(summary).toMatchObject({ total: 5, succeeded: 3, failed: 1, skipped: 1 });
    expect(summary.failures.map((f) => f.id)).toEqual(['e']);
    expect(await readFile(path, 'utf8')).toContain('{"k":"b","s":"ok","note":"already done"}');
  });

  it('stops starting items once stopped, and removes the journal after a clean run', async () => {
    const stop = new AbortController();
    const path = join(dir, 'stop.jsonl');
    const first = await runBulk({
      items: ['1', '2', '3', '4'],
      key: (id) => id,
      action: async (id) => {
        if (id === '2') stop.abort();
      },
      concurrency: 1,
      journal: new Journal(path),
      progress: quiet(),
      stopSignal: stop.signal,
    });
    expect(first).toMatchObject({ succeeded: 2, interrupted: true, journal: path });
    const second = await runBulk({
      items: ['1', '2', '3', '4'],
      key: (id) => id,
      action: async () => {},
      concurrency: 2,
      journal: new Journal(path),
      progress: quiet(),
      stopSignal: never,
    });
    expect(second).toMatchObject({ succeeded: 2, skipped: 2, interrupted: false, journal: undefined });
    await expect(readFile(path)).rejects.toThrow(/ENOENT/);
  });
});
