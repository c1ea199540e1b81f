import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatId } from '../../src/domain/ids.js';
import type { MetadataStore, TagRow } from '../../src/domain/ports.js';
import { contractSeed, type StoreBacking, T0 } from './contract-seed.js';

/**
 * TagRepository (ports.ts) on every backend: names unique per module in any case, creates that
 * meet an existing name answer the holder, renames, record tags by name, overwrite, removal, and
 * the tags in an organisation's dump, delete and import.
 */
export function tagsContract(name: string, createBacking: () => Promise<StoreBacking<MetadataStore>>) {
  describe(`TagRepository contract: ${name}`, () => {
    let backing: StoreBacking<MetadataStore>;
    let store: MetadataStore;
    const s = contractSeed('4600001', { attachmentCount: 0 });
    const tag = (
      n: number,
      tagName: string,
      module: TagRow['module'] = 'Contacts',
      by = s.user.boss,
    ): TagRow => ({
      orgId: s.org,
      id: formatId('4600001', 900 + n),
      module,
      name: tagName,
      colourCode: null,
      createdBy: by,
      createdAt: T0 + n,
      modifiedBy: by,
      modifiedAt: T0 + n,
    });

    beforeEach(async () => {
      backing = await createBacking();
      store = await backing.open();
      await store.seed.import(s.data);
    });
    afterEach(async () => {
      await store.close();
      await backing.dispose();
    });

    it('creates tags once per name in any case, per module, and lists them by name', async () => {
      const out = await store.tags.create(s.org, [
        tag(1, 'beta'),
        tag(2, 'Alpha'),
        tag(3, 'ALPHA'),
        tag(4, 'Alpha', 'Accounts', s.user.rep),
      ]);
      expect(out.map((o) => [o.tag.id, o.created])).toEqual([
        [tag(1, '').id, true],
        [tag(2, '').id, true],
        [tag(2, '').id, false],
        [tag(4, '').id, true],
      ]);
      expect((await store.tags.list(s.org, 'Contacts', null)).map((t) => t.name)).toEqual(['Alpha', 'beta']);
      expect(await store.tags.list(s.org, 'Accounts', s.user.rep)).toEqual([
        tag(4, 'Alpha', 'Accounts', s.user.rep),
      ]);
      expect(await store.tags.list(s.org, 'Accounts', s.user.boss)).toEqual([]);
      expect([...(await store.tags.byNames(s.org, 'Contacts', ['ALPHA', 'gamma'])).keys()]).toEqual([
        'alpha',
      ]);
      expect([...(await store.tags.byIds(s.org, 'Accounts', [tag(1, '').id, tag(4, '').id])).keys()]).toEqual(
        [tag(4, '').id],
      );
    });

    it('renames: refuses a name another tag of the module holds, a tag of another module, and keeps the colour unless given', async () => {
      await store.tags.create(s.org, [{ ...tag(1, 'One'), colourCode: '#F17574' }, tag(2, 'Two')]);
      const base = { module: 'Contacts' as const, modifiedBy: s.user.rep, modifiedAt: T0 + 50 };
      expect(await store.tags.update(s.org, { ...base, id: tag(1, '').id, name: 'two' })).toEqual({
        ok: false,
        reason: 'duplicate',
        id: tag(2, '').id,
      });
      expect(
        await store.tags.update(s.org, { ...base, module: 'Accounts', id: tag(1, '').id, name: 'X' }),
      ).toEqual({
        ok: false,
        reason: 'missing',
      });
      const renamed = await store.tags.update(s.org, { ...base, id: tag(1, '').id, name: 'ONE' });
      expect(renamed).toEqual({
        ok: true,
        tag: { ...tag(1, 'ONE'), colourCode: '#F17574', modifiedBy: s.user.rep, modifiedAt: T0 + 50 },
      });
      const recoloured = await store.tags.update(s.org, {
        ...base,
        id: tag(1, '').id,
        name: 'ONE',
        colourCode: null,
      });
      expect(recoloured.ok && recoloured.tag.colourCode).toBeNull();
    });

    it('tags records, overwrites, untags; a record shows its tags by name, renames included', async () => {
      await store.tags.create(s.org, [tag(1, 'b'), tag(2, 'A'), tag(3, 'c')]);
      const [a, b, c] = [tag(1, '').id, tag(2, '').id, tag(3, '').id];
      await store.tags.tagRecords(s.org, [s.record.live, s.record.other], [a, b], false, T0);
      await store.tags.tagRecords(s.org, [s.record.live], [a], false, T0 + 1);
      let of = await store.tags.ofRecords(s.org, [s.record.live, s.record.other, s.record.deleted]);
      expect(of.get(s.record.live)).toEqual([
        { name: 'A', id: b },
        { name: 'b', id: a },
      ]);
      expect(of.has(s.record.deleted)).toBe(false);
      await store.tags.tagRecords(s.org, [s.record.other], [c], true, T0 + 2);
      await store.tags.untagRecords(s.org, [s.record.live], [b, c]);
      await store.tags.update(s.org, {
        module: 'Contacts',
        id: a,
        name: 'Renamed',
        modifiedBy: s.user.boss,
        modifiedAt: T0 + 3,
      });
      of = await store.tags.ofRecords(s.org, [s.record.live, s.record.other]);
      expect(Object.fromEntries(of)).toEqual({
        [s.record.live]: [{ name: 'Renamed', id: a }],
        [s.record.other]: [{ name: 'c', id: c }],
      });
      expect((await store.tags.ofRecords(s.org, [])).size).toBe(0);
    });

    it('a record keeps its tags in the recycle bin; purging the record takes them', async () => {
      await store.tags.create(s.org, [tag(1, 'Gone')]);
      await store.tags.tagRecords(s.org, [s.record.deleted, s.record.live], [tag(1, '').id], false, T0);
      expect((await store.tags.ofRecords(s.org, [s.record.deleted])).get(s.record.deleted)).toHaveLength(1);
      expect(await store.recordData.purge({ deletedBefore: Number.MAX_SAFE_INTEGER, limit: 10 })).toBe(1);
      expect((await store.tags.ofRecords(s.org, [s.record.deleted])).size).toBe(0);
      expect((await store.tags.ofRecords(s.org, [s.record.live])).get(s.record.live)).toHaveLength(1);
    });

    it('dumps, removes and imports an organisation with its tags: equal after the round trip', async () => {
      await store.tags.create(s.org, [tag(1, 'Kept'), tag(2, 'Also')]);
      await store.tags.tagRecords(s.org, [s.record.live, s.record.deleted], [tag(1, '').id], false, T0);
      const before = (await store.organizations.dump(s.org))!;
      expect(before.data.tags?.map((t) => t.name)).toEqual(['Kept', 'Also']);
      expect(before.data.recordTags).toHaveLength(2);
      await store.organizations.remove(s.org);
      expect(await store.tags.list(s.org, 'Contacts', null)).toEqual([]);
      expect((await store.tags.ofRecords(s.org, [s.record.live])).size).toBe(0);
      const counts = await store.seed.import(before.data);
      expect(counts).toMatchObject({ tags: 2, recordTags: 2 });
      // Imported tag ids move the organisation's sequence past them.
      expect(await store.seed.reserveSequence(s.org, 1)).toBe(903);
      await store.organizations.setNextSequence(s.org, before.nextSequence);
      expect(await store.organizations.dump(s.org)).toEqual(before);
    });
  });
}
