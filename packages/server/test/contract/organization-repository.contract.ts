import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MetadataStore, SeedData } from '../../src/domain/ports.js';
import { contractSeed, DAY, type StoreBacking, T0 } from './contract-seed.js';

/** An organisation with every kind of row a dump carries, OAuth state and awkward values included. */
function fullSeed(prefix: string) {
  const s = contractSeed(prefix, { attachmentCount: 3 });
  const client = `client-${prefix}`;
  const d: SeedData = {
    ...s.data,
    // The Users API's details and the Org API's metadata: rows a dump must carry too.
    users: s.data.users.map((u, i) => ({ ...u, details: { locale: 'en_GB', status: i ? 'active' : 'x' } })),
    orgMetadata: [
      {
        orgId: s.org,
        customization: { customFields: [], layouts: [] },
        details: { company_name: 'Zylker', time_zone: 'Europe/London' },
      },
    ],
    tokens: [
      ...s.data.tokens,
      {
        hash: `hash-b-${prefix}`,
        orgId: s.org,
        userId: s.user.boss,
        clientId: client,
        scopes: 'ZohoBigin.modules.ALL',
        dataCenter: 'eu',
        expiresAt: T0 + DAY,
        revokedAt: null,
        createdAt: T0 + 1,
        refreshTokenHash: `refresh-${prefix}`,
        fromRefresh: true,
      },
    ],
    records: [
      ...s.data.records.slice(0, 2),
      {
        ...s.data.records[2]!,
        fields: { Last_Name: 'Gone', Email: 'g@example.com' },
        deletedBy: s.user.boss,
      },
    ],
    attachments: [
      ...s.data.attachments.slice(0, 2),
      {
        ...s.data.attachments[2]!,
        fileName: 'nul\u0000in name.txt',
        deletedAt: T0 + 5,
        deletedBy: s.user.boss,
        deletedWith: null,
      },
    ],
    refreshTokens: [
      {
        hash: `refresh-${prefix}`,
        clientId: client,
        orgId: s.org,
        userId: s.user.boss,
        scopes: 'ZohoBigin.modules.ALL',
        dataCenter: 'eu',
        createdAt: T0,
        revokedAt: null,
      },
    ],
    consents: [{ orgId: s.org, userId: s.user.boss, clientId: client, grantedAt: T0 }],
    grantCodes: [
      {
        hash: `code-${prefix}`,
        clientId: client,
        orgId: s.org,
        userId: s.user.boss,
        scopes: 'ZohoBigin.modules.ALL',
        dataCenter: 'eu',
        redirectUri: 'https://example.com/cb',
        issueRefresh: true,
        expiresAt: T0 + 120_000,
        usedAt: null,
        createdAt: T0,
      },
    ],
  };
  return { ...s, data: d };
}

/**
 * `OrganizationRepository` (ports.ts): list, dump, remove and the sequence, run against every
 * MetadataStore. A dump imported back after a remove must dump equal: that is what the admin
 * API's reset and export/import rest on.
 */
export function organizationRepositoryContract(
  name: string,
  createBacking: () => Promise<StoreBacking<MetadataStore>>,
) {
  describe(`MetadataStore contract (organisations): ${name}`, () => {
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

    it('answers null for an organisation that does not exist', async () => {
      expect(await store.organizations.dump('999')).toBeNull();
      expect(await store.organizations.remove('999')).toBeNull();
      expect(await store.organizations.list()).toEqual([]);
    });

    it('lists organisations by id', async () => {
      const b = fullSeed('4500002');
      const a = fullSeed('4500001');
      await store.seed.import(b.data);
      await store.seed.import(a.data);
      expect(await store.organizations.list()).toEqual([
        { id: a.org, name: 'Org 4500001', dataCenter: 'eu', createdAt: T0 },
        { id: b.org, name: 'Org 4500002', dataCenter: 'eu', createdAt: T0 },
      ]);
    });

    it('dumps every row of the organisation, and only the clients it refers to', async () => {
      const s = fullSeed('4500001');
      await store.seed.import(s.data);
      await store.seed.import({ ...fullSeed('4500002').data });
      const dump = await store.organizations.dump(s.org);
      expect(dump?.nextSequence).toBe(s.lastSeq + 1);
      const d = dump!.data;
      expect(d.clients.map((c) => c.id)).toEqual([`client-4500001`]);
      expect(d.organizations).toEqual(s.data.organizations);
      expect(d.users.map((u) => u.id)).toEqual([s.user.boss, s.user.rep]);
      expect(d.tokens.map((t) => t.hash)).toEqual(['hash-4500001', 'hash-b-4500001']);
      expect(d.tokens[1]).toMatchObject({ refreshTokenHash: 'refresh-4500001', fromRefresh: true });
      expect(d.records[2]).toMatchObject({
        fields: { Last_Name: 'Gone', Email: 'g@example.com' },
        deletedWith: s.record.deleted,
      });
      expect(d.attachments[2]).toMatchObject({
        fileName: 'nul\u0000in name.txt',
        deletedAt: T0 + 5,
        deletedWith: null,
      });
      expect(d.refreshTokens).toEqual(s.data.refreshTokens);
      expect(d.consents).toEqual(s.data.consents);
      expect(d.grantCodes).toEqual(s.data.grantCodes);
      expect(d.users.map((u) => u.details)).toEqual(s.data.users.map((u) => u.details));
      expect(d.orgMetadata).toEqual(s.data.orgMetadata);
      expect(dump!.recordLinks).toEqual([]);
    });

    it('dumps the related-record links, each pair once, and only the organisation’s', async () => {
      const s = fullSeed('4500001');
      const other = fullSeed('4500002');
      await store.seed.import(s.data);
      await store.seed.import(other.data);
      await store.recordLinks.link(s.org, s.record.other, [s.record.live], T0 + 7);
      await store.recordLinks.link(other.org, other.record.live, [other.record.other], T0);
      const dump = (await store.organizations.dump(s.org))!;
      expect(dump.recordLinks).toEqual([{ a: s.record.live, b: s.record.other, createdAt: T0 + 7 }]);
      await store.organizations.remove(s.org);
      expect((await store.organizations.dump(other.org))!.recordLinks).toHaveLength(1);
      await store.seed.import(dump.data);
      for (const l of dump.recordLinks) await store.recordLinks.link(s.org, l.a, [l.b], l.createdAt);
      await store.organizations.setNextSequence(s.org, dump.nextSequence);
      expect(await store.organizations.dump(s.org)).toEqual(dump);
    });

    it('removes every row of the organisation, returns its blob keys, and leaves the others and the clients', async () => {
      const s = fullSeed('4500001');
      const other = fullSeed('4500002');
      await store.seed.import(s.data);
      await store.seed.import(other.data);
      const before = await store.organizations.dump(other.org);
      const removed = await store.organizations.remove(s.org);
      expect(removed?.blobKeys.sort()).toEqual(
        s.data.attachments.flatMap((a) => (a.blobKey ? [a.blobKey] : [])).sort(),
      );
      expect(await store.organizations.dump(s.org)).toBeNull();
      expect(await store.auth.findByTokenHash('hash-4500001')).toBeNull();
      expect(await store.oauth.findGrantCode('code-4500001')).toBeNull();
      expect(await store.oauth.findClient('client-4500001')).not.toBeNull();
      expect(await store.organizations.dump(other.org)).toEqual(before);
      // Nothing of it is left anywhere: importing it again inserts every row.
      const counts = await store.seed.import({ ...s.data, clients: [] });
      expect(counts).toMatchObject({
        organizations: 1,
        profiles: 2,
        roles: 3,
        users: 2,
        tokens: 2,
        records: 3,
        attachments: 3,
        refreshTokens: 1,
        consents: 1,
        grantCodes: 1,
      });
    });

    it('round-trips: remove, import the dump and its sequence, dump again: equal', async () => {
      const s = fullSeed('4500001');
      await store.seed.import(s.data);
      await store.seed.reserveSequence(s.org, 50);
      const before = (await store.organizations.dump(s.org))!;
      await store.organizations.remove(s.org);
      await store.seed.import(before.data);
      await store.organizations.setNextSequence(s.org, before.nextSequence);
      expect(await store.organizations.dump(s.org)).toEqual(before);
      expect(await store.seed.reserveSequence(s.org, 1)).toBe(before.nextSequence);
    });
  });
}
