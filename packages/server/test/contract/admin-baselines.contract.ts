import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AdminBaseline } from '../../src/domain/admin-baseline-ports.js';
import type { MetadataStore } from '../../src/domain/ports.js';
import { type StoreBacking, T0 } from './contract-seed.js';

const baseline = (orgId: string, over: Partial<AdminBaseline> = {}): AdminBaseline => ({
  orgId,
  kind: 'fixture',
  // Key order and unusual characters must come back byte for byte: reset compares exports.
  snapshot: JSON.stringify({ z: 1, a: ['ü', '\u2028', 'nul\\u0000'], organization: orgId }),
  template: JSON.stringify({ fragment: { id: orgId }, baseDir: '/fixtures' }),
  fixtureSha256: 'ab'.repeat(32),
  recordedAt: T0,
  ...over,
});

/**
 * `AdminBaselineRepository` (admin-baseline-ports.ts): what the admin API's reset restores, run
 * against every MetadataStore; a second instance on the same data (another node, or the server
 * after a restart) reads the same baselines.
 */
export function adminBaselinesContract(
  name: string,
  createBacking: () => Promise<StoreBacking<MetadataStore>>,
) {
  describe(`MetadataStore contract (admin baselines): ${name}`, () => {
    let backing: StoreBacking<MetadataStore>;
    let store: MetadataStore;
    beforeEach(async () => {
      backing = await createBacking();
      store = await backing.open();
    });
    afterEach(async () => {
      await store.close();
      await backing.dispose();
    });

    it('stores, reads back exactly, lists by organisation and removes', async () => {
      expect(await store.adminBaselines.get('1')).toBeNull();
      expect(await store.adminBaselines.list()).toEqual([]);
      const b = baseline('20');
      const created = baseline('10', { kind: 'created', template: null, fixtureSha256: null });
      await store.adminBaselines.put(b);
      await store.adminBaselines.put(created);
      expect(await store.adminBaselines.get('20')).toEqual(b);
      expect((await store.adminBaselines.get('20'))?.snapshot).toBe(b.snapshot);
      expect(await store.adminBaselines.list()).toEqual([created, b]);
      expect(await store.adminBaselines.remove('10')).toBe(true);
      expect(await store.adminBaselines.remove('10')).toBe(false);
      expect(await store.adminBaselines.list()).toEqual([b]);
    });

    it('put replaces; putIfAbsent keeps the first and answers it', async () => {
      await store.adminBaselines.put(baseline('1', { recordedAt: T0 }));
      const next = baseline('1', {
        kind: 'created',
        snapshot: '{"b":2}',
        template: null,
        recordedAt: T0 + 1,
      });
      await store.adminBaselines.put(next);
      expect(await store.adminBaselines.get('1')).toEqual(next);
      const first = baseline('2', { snapshot: '{"first":true}' });
      expect(await store.adminBaselines.putIfAbsent(first)).toEqual(first);
      expect(await store.adminBaselines.putIfAbsent(baseline('2', { snapshot: '{"second":true}' }))).toEqual(
        first,
      );
    });

    it('is seen by another instance on the same data, and survives a reopen', async () => {
      const b = baseline('7');
      await store.adminBaselines.put(b);
      const other = await backing.open();
      try {
        expect(await other.adminBaselines.get('7')).toEqual(b);
        await other.adminBaselines.remove('7');
      } finally {
        await other.close();
      }
      expect(await store.adminBaselines.get('7')).toBeNull();
    });

    it('is not removed with its organisation: reset deletes the organisation, then imports its baseline', async () => {
      await store.adminBaselines.put(baseline('4200001'));
      await store.organizations.remove('4200001');
      expect(await store.adminBaselines.get('4200001')).not.toBeNull();
    });
  });
}
