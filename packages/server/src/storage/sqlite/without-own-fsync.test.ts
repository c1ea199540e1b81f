import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteMetadataStore } from './sqlite-metadata-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function open(synchronous: 'FULL' | 'EXTRA') {
  const dir = mkdtempSync(join(tmpdir(), 'bigin-sync-'));
  dirs.push(dir);
  return new SqliteMetadataStore({ path: join(dir, 'bigin.sqlite'), synchronous });
}

// PRAGMA synchronous: NORMAL = 1, FULL = 2, EXTRA = 3.
const level = (store: SqliteMetadataStore) => store.db.pragma('synchronous', { simple: true });

describe('a write on the main connection', () => {
  it.each([
    ['FULL', 2],
    ['EXTRA', 3],
  ] as const)(
    'runs at NORMAL and gives the store its own %s back, each time and after a throw',
    async (setting, own) => {
      const store = open(setting);
      try {
        const d = store.dialect;
        const one = d.prepare('SELECT 1');
        const inside = (options?: { snapshot: boolean }, fail = false) =>
          d.transaction(function* (tx) {
            yield* tx.get(one);
            if (fail) throw new Error('boom');
            return level(store);
          }, options);
        expect(level(store)).toBe(own);
        for (let i = 0; i < 3; i++) {
          expect(await inside()).toBe(1);
          expect(level(store)).toBe(own);
        }
        await expect(inside(undefined, true)).rejects.toThrow('boom');
        expect(level(store)).toBe(own);
        // A read-only (snapshot) transaction owes no fsync and keeps the store's own setting.
        expect(await inside({ snapshot: true })).toBe(own);
      } finally {
        await store.close();
      }
    },
  );
});
