import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatId } from '../../src/domain/ids.js';
import type { MetadataStore, PhotoRow } from '../../src/domain/ports.js';
import { contractSeed, type StoreBacking, T0 } from './contract-seed.js';

/**
 * RecordPhotoRepository (ports.ts, D20) on every backend: one live photo per record, puts only on
 * live records, replacement and removal keep the row for the purge, concurrent puts, photos of
 * records past retention, the organisation photo, and photos in an organisation's delete.
 */
export function recordPhotosContract(
  name: string,
  createBacking: () => Promise<StoreBacking<MetadataStore>>,
) {
  describe(`RecordPhotoRepository contract: ${name}`, () => {
    let backing: StoreBacking<MetadataStore>;
    let store: MetadataStore;
    const s = contractSeed('4700001', { attachmentCount: 0 });
    const photo = (
      n: number,
      recordId = s.record.live,
      module: PhotoRow['module'] = 'Contacts',
    ): PhotoRow => {
      const id = formatId('4700001', 800 + n);
      return {
        orgId: s.org,
        id,
        recordId,
        module,
        fileName: `photo-${n}.png`,
        contentType: 'image/png',
        size: 100 + n,
        sha256: 'cd'.repeat(32),
        blobKey: `${s.org}/photo/${id}`,
        createdBy: s.user.rep,
        createdAt: T0 + n,
        deletedAt: null,
      };
    };
    const claimAll = (recordDeletedBefore = 0) =>
      store.recordPhotos.claimPurge({ recordDeletedBefore, limit: 100, at: T0 + 1000 });

    beforeEach(async () => {
      backing = await createBacking();
      store = await backing.open();
      await store.seed.import(s.data);
    });
    afterEach(async () => {
      await store.close();
      await backing.dispose();
    });

    it('puts a photo on a live record, finds it, and forgets its journal entry', async () => {
      const p = photo(1);
      await store.blobJournal.begin(p.blobKey, T0);
      expect(await store.recordPhotos.put(p)).toBe(true);
      expect(await store.recordPhotos.find(s.org, s.record.live)).toEqual(p);
      expect(await store.blobJournal.stale(Number.MAX_SAFE_INTEGER, 10)).toEqual([]);
      const of = await store.recordPhotos.ofRecords(s.org, [s.record.live, s.record.other, s.record.live]);
      expect(Object.fromEntries(of)).toEqual({ [s.record.live]: p.id });
      expect((await store.recordPhotos.ofRecords(s.org, [])).size).toBe(0);
    });

    it('writes nothing for a deleted record, another module, another organisation or a missing record', async () => {
      const refused = [
        photo(1, s.record.deleted),
        photo(2, s.record.live, 'Accounts'),
        { ...photo(3), orgId: '4799999000000000001' },
        photo(4, formatId('4700001', 999_999)),
      ];
      for (const p of refused) {
        await store.blobJournal.begin(p.blobKey, T0);
        expect(await store.recordPhotos.put(p)).toBe(false);
      }
      expect(await store.recordPhotos.find(s.org, s.record.deleted)).toBeNull();
      expect(await store.recordPhotos.find(s.org, s.record.live)).toBeNull();
      // The journal keeps the keys of refused photos, so that the purge removes their bytes.
      expect((await store.blobJournal.stale(Number.MAX_SAFE_INTEGER, 10)).sort()).toEqual(
        refused.map((p) => p.blobKey).sort(),
      );
      expect(await claimAll()).toEqual([]);
    });

    it('a second put replaces the photo; the replaced one waits for the purge, then goes', async () => {
      await store.recordPhotos.put(photo(1));
      await store.recordPhotos.put(photo(2));
      expect((await store.recordPhotos.find(s.org, s.record.live))?.id).toBe(photo(2).id);
      const claims = await claimAll();
      expect(claims).toEqual([{ orgId: s.org, id: photo(1).id, blobKey: photo(1).blobKey }]);
      // Claimed again until finished: an interrupted purge is picked up by the next run.
      expect(await claimAll()).toEqual(claims);
      await store.recordPhotos.finishPurge(claims);
      expect(await claimAll()).toEqual([]);
      expect((await store.recordPhotos.find(s.org, s.record.live))?.id).toBe(photo(2).id);
    });

    it('concurrent puts on one record leave exactly one live photo', async () => {
      const puts = [1, 2, 3, 4, 5].map((n) => photo(n));
      expect(await Promise.all(puts.map((p) => store.recordPhotos.put(p)))).toEqual([
        true,
        true,
        true,
        true,
        true,
      ]);
      const live = await store.recordPhotos.find(s.org, s.record.live);
      expect(puts.map((p) => p.id)).toContain(live?.id);
      const claimed = (await claimAll()).map((c) => c.id).sort();
      expect(claimed).toEqual(
        puts
          .map((p) => p.id)
          .filter((id) => id !== live?.id)
          .sort(),
      );
    });

    it('removes the live photo once', async () => {
      await store.recordPhotos.put(photo(1));
      expect(await store.recordPhotos.remove(s.org, s.record.live, T0 + 5)).toBe(true);
      expect(await store.recordPhotos.find(s.org, s.record.live)).toBeNull();
      expect(await store.recordPhotos.remove(s.org, s.record.live, T0 + 6)).toBe(false);
      expect((await claimAll()).map((c) => c.id)).toEqual([photo(1).id]);
    });

    it('keeps the photo of a record in the recycle bin until its retention is over', async () => {
      await store.recordPhotos.put(photo(1));
      const at = T0 + 10;
      expect(
        await store.recordData.deleteCascade({
          orgId: s.org,
          module: 'Contacts',
          id: s.record.live,
          deletedBy: s.user.boss,
          at,
          cascade: () => [],
        }),
      ).toBeTruthy();
      // The photo stays the record's, for a restore.
      expect((await store.recordPhotos.find(s.org, s.record.live))?.id).toBe(photo(1).id);
      expect(await claimAll(at)).toEqual([]);
      expect((await claimAll(at + 1)).map((c) => c.id)).toEqual([photo(1).id]);
      expect(await store.recordPhotos.find(s.org, s.record.live)).toBeNull();
    });

    it('holds the organisation photo under the organisation id, which the purge leaves alone', async () => {
      const org = photo(1, s.org, 'org');
      expect(await store.recordPhotos.put(photo(2, s.record.live, 'org'))).toBe(false);
      expect(await store.recordPhotos.put(org)).toBe(true);
      expect(await store.recordPhotos.find(s.org, s.org)).toEqual(org);
      expect(await claimAll(Number.MAX_SAFE_INTEGER)).toEqual([]);
    });

    it("an organisation's delete removes its photos and hands back their blob keys", async () => {
      await store.recordPhotos.put(photo(1));
      await store.recordPhotos.put(photo(2));
      await store.recordPhotos.put(photo(3, s.org, 'org'));
      const removed = await store.organizations.remove(s.org);
      expect(removed?.blobKeys.sort()).toEqual([photo(1).blobKey, photo(2).blobKey, photo(3).blobKey].sort());
      expect(await store.recordPhotos.find(s.org, s.record.live)).toBeNull();
      expect(await claimAll()).toEqual([]);
    });

    it('dumps, removes and imports an organisation with its live photos: equal after the round trip', async () => {
      await store.recordPhotos.put(photo(1));
      await store.recordPhotos.put(photo(2));
      await store.recordPhotos.put(photo(3, s.org, 'org'));
      const before = (await store.organizations.dump(s.org))!;
      // The replaced photo waits for the purge and is not carried over.
      expect(before.data.photos).toEqual([photo(2), photo(3, s.org, 'org')]);
      await store.organizations.remove(s.org);
      const counts = await store.seed.import(before.data);
      expect(counts.photos).toBe(2);
      expect((await store.recordPhotos.find(s.org, s.record.live))?.id).toBe(photo(2).id);
      // Imported photo ids move the organisation's sequence past them.
      expect(await store.seed.reserveSequence(s.org, 1)).toBe(804);
      await store.organizations.setNextSequence(s.org, before.nextSequence);
      expect(await store.organizations.dump(s.org)).toEqual(before);
      // Importing again adds nothing: a record keeps one live photo.
      expect((await store.seed.import({ ...before.data, photos: [photo(5)] })).photos).toBe(0);
    });
  });
}
