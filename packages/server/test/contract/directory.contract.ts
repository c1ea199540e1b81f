import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OrgCustomization } from '../../src/domain/metadata/field-model.js';
import type { MetadataStore } from '../../src/domain/ports.js';
import { contractSeed, type StoreBacking, T0 } from './contract-seed.js';

/** DirectoryRepository (domain/ports.ts), against every MetadataStore. */
export function directoryContract(name: string, createBacking: () => Promise<StoreBacking<MetadataStore>>) {
  describe(`MetadataStore contract (directory): ${name}`, () => {
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

    const customization: OrgCustomization = {
      customFields: [
        { module: 'Contacts', apiName: 'Zeta', label: 'Zeta', dataType: 'text' },
        { module: 'Contacts', apiName: 'Alpha', label: 'Alpha', dataType: 'picklist', picklist: ['b', 'a'] },
      ],
      layouts: [{ module: 'Contacts', id: '42', name: 'Quick', sections: [{ name: 'S', fields: ['Zeta'] }] }],
    };

    it('lists users, profiles and roles of one organisation by id as a number, with user details as given', async () => {
      const s = contractSeed('4400001', { attachmentCount: 0 });
      const other = contractSeed('4400002', { attachmentCount: 0 });
      s.data.users[0]!.details = { locale: 'fr_FR', confirm: false, first_name: 'B' };
      // A shorter id sorts first though it compares greater as text.
      s.data.users.push({ ...s.data.users[1]!, id: '99', name: 'Short', email: 's@example.com' });
      await store.seed.import(s.data);
      await store.seed.import(other.data);
      const users = await store.directory.users(s.org);
      expect(users.map((u) => u.id)).toEqual(['99', s.user.boss, s.user.rep]);
      expect(users[1]).toEqual({
        id: s.user.boss,
        name: 'Boss',
        email: 'boss@example.com',
        profileId: s.data.users[0]!.profileId,
        roleId: s.data.users[0]!.roleId,
        active: true,
        timeZone: 'Europe/Paris',
        details: { locale: 'fr_FR', confirm: false, first_name: 'B' },
      });
      expect(users[2]!.details).toEqual({});
      expect((await store.directory.profiles(s.org)).map((p) => [p.name, p.admin])).toEqual([
        ['Administrator', true],
        ['Standard', false],
      ]);
      expect((await store.directory.roles(s.org)).map((r) => [r.name, r.reportsTo])).toEqual([
        ['Top', null],
        ['Middle', s.data.roles[0]!.id],
        ['Bottom', s.data.roles[1]!.id],
      ]);
      expect(await store.directory.users('1')).toEqual([]);
    });

    it('keeps custom fields and layouts in declared order, and org details; defaults without them', async () => {
      const s = contractSeed('4400003', { attachmentCount: 0 });
      await store.seed.import({
        ...s.data,
        orgMetadata: [{ orgId: s.org, customization, details: { timeZone: 'Asia/Tokyo', zip: '100' } }],
      });
      expect(await store.directory.customization(s.org)).toEqual(customization);
      expect(await store.directory.organization(s.org)).toEqual({
        id: s.org,
        name: 'Org 4400003',
        idPrefix: '4400003',
        createdAt: T0,
        details: { timeZone: 'Asia/Tokyo', zip: '100' },
      });
      // A second import changes nothing (matched by organisation).
      const again = await store.seed.import({
        ...s.data,
        orgMetadata: [{ orgId: s.org, customization: { customFields: [], layouts: [] }, details: {} }],
      });
      expect(again.orgMetadata).toBe(0);
      expect(await store.directory.customization(s.org)).toEqual(customization);
      const bare = contractSeed('4400004', { attachmentCount: 0 });
      await store.seed.import(bare.data);
      expect(await store.directory.customization(bare.org)).toEqual({ customFields: [], layouts: [] });
      expect((await store.directory.organization(bare.org))?.details).toEqual({});
      expect(await store.directory.organization('1')).toBeNull();
    });

    it('inserts a user once, updates it in place, and only in its organisation', async () => {
      const s = contractSeed('4400005', { attachmentCount: 0 });
      const other = contractSeed('4400006', { attachmentCount: 0 });
      await store.seed.import(s.data);
      await store.seed.import(other.data);
      const boss = s.data.users[0]!;
      const added = {
        id: '4400005000000009001',
        name: 'New Person',
        email: 'new@example.com',
        profileId: boss.profileId,
        roleId: boss.roleId,
        active: true,
        timeZone: 'Asia/Kolkata',
        details: { first_name: 'New', last_name: 'Person', confirm: false, created_time: T0 },
      };
      expect(await store.directory.insertUser(s.org, added)).toBe(true);
      expect(await store.directory.insertUser(s.org, { ...added, name: 'Again' })).toBe(false);
      expect((await store.directory.users(s.org)).find((u) => u.id === added.id)).toEqual(added);
      expect((await store.directory.users(other.org)).some((u) => u.id === added.id)).toBe(false);

      const changed = {
        ...added,
        name: 'Changed',
        email: 'changed@example.com',
        active: false,
        timeZone: 'UTC',
        details: { ...added.details, deleted: true },
      };
      expect(await store.directory.updateUser(s.org, changed)).toBe(true);
      expect((await store.directory.users(s.org)).find((u) => u.id === added.id)).toEqual(changed);
      expect(await store.directory.updateUser(other.org, changed)).toBe(false);
      expect(await store.directory.updateUser(s.org, { ...changed, id: '4400005000000009999' })).toBe(false);
    });
  });
}
