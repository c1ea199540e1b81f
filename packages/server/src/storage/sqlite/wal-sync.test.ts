import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteMetadataStore } from './sqlite-metadata-store.js';
import { WalSync } from './wal-sync.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'bigin-walsync-'));
  dirs.push(dir);
  return dir;
};

/** An fdatasync that finishes only when the test says so. */
function manualSync() {
  const waiting: Array<(error: NodeJS.ErrnoException | null) => void> = [];
  return {
    started: () => waiting.length,
    finish: (error: NodeJS.ErrnoException | null = null) => waiting.shift()!(error),
    fn: (_fd: number, done: (error: NodeJS.ErrnoException | null) => void) => {
      waiting.push(done);
    },
  };
}

const settled = async (p: Promise<unknown>) => {
  let done = false;
  void p.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  await new Promise((r) => setImmediate(r));
  return done;
};

describe('WalSync', () => {
  const walFile = () => {
    const path = join(tempDir(), 'db-wal');
    writeFileSync(path, '');
    return path;
  };

  it('answers a caller only after an fsync that started after the call', async () => {
    const fake = manualSync();
    const sync = new WalSync(walFile(), fake.fn);
    const first = sync.sync();
    expect(fake.started()).toBe(1);
    // Arrives while the first fsync runs, which may have missed its commit: it waits for a second.
    const second = sync.sync();
    const third = sync.sync();
    expect(third).toBe(second);
    expect(fake.started()).toBe(1);
    fake.finish();
    expect(await settled(first)).toBe(true);
    expect(await settled(second)).toBe(false);
    expect(fake.started()).toBe(1);
    fake.finish();
    await Promise.all([second, third]);
    expect(sync.syncs).toBe(2);
    sync.close();
  });

  it('fails the callers of a failed fsync, and the next fsync serves new callers', async () => {
    const fake = manualSync();
    const sync = new WalSync(walFile(), fake.fn);
    const failed = sync.sync();
    const after = sync.sync();
    fake.finish(Object.assign(new Error('EIO'), { code: 'EIO' }));
    await expect(failed).rejects.toThrow('EIO');
    fake.finish();
    await expect(after).resolves.toBeUndefined();
    sync.close();
  });
});

describe('a write on the main connection', () => {
  const open = (synchronous: 'FULL' | 'NORMAL') =>
    new SqliteMetadataStore({ path: join(tempDir(), 'bigin.sqlite'), synchronous });
  const level = (store: SqliteMetadataStore) => store.db.pragma('synchronous', { simple: true });
  const secretInsert = (store: SqliteMetadataStore) =>
    store.dialect.prepare('INSERT INTO installation_secrets (name, value, created_at) VALUES ($1, $2, 0)');

  it('commits without an fsync of its own and resolves after a shared one', async () => {
    const store = open('FULL');
    try {
      const d = store.dialect;
      const insert = secretInsert(store);
      const levels: unknown[] = [];
      const before = store.walSyncs;
      const writes = Array.from({ length: 20 }, (_v, i) =>
        d.transaction(function* (tx) {
          levels.push(level(store));
          return yield* tx.run(insert, [`k${i}`, 'v']);
        }),
      );
      expect(await Promise.all(writes)).toEqual(Array(20).fill(1));
      expect(levels).toEqual(Array(20).fill(1));
      expect(level(store)).toBe(2);
      const syncs = store.walSyncs - before;
      // Twenty commits, made in one turn: the first fsync may have started before all but the
      // first of them, the second covers the rest.
      expect(syncs).toBeGreaterThanOrEqual(1);
      expect(syncs).toBeLessThanOrEqual(2);
      expect(await d.run(insert, ['single', 'v'])).toBe(1);
      expect(store.walSyncs - before).toBe(syncs + 1);
      // A write that fails committed nothing, and waits for no fsync.
      await expect(d.run(insert, ['single', 'v'])).rejects.toThrow(/UNIQUE/);
      expect(store.walSyncs - before).toBe(syncs + 1);
    } finally {
      await store.close();
    }
  });

  it('owes no fsync at NORMAL', async () => {
    const store = open('NORMAL');
    try {
      const insert = secretInsert(store);
      expect(await store.dialect.run(insert, ['a', 'v'])).toBe(1);
      expect(store.walSyncs).toBe(0);
    } finally {
      await store.close();
    }
  });
});
