import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MetadataStore } from '../../src/domain/ports.js';
import { contractSeed, DAY, type StoreBacking, T0 } from './contract-seed.js';

/**
 * The behaviour `domain/ports.ts` promises for a MetadataStore, one test per sentence, run
 * against every implementation. `createBacking` gives fresh, empty data for each test; opening it
 * twice gives two instances on the same data, which is how concurrency between nodes is tested.
 */
export function metadataStoreContract(
  name: string,
  createBacking: () => Promise<StoreBacking<MetadataStore>>,
) {
  describe(`MetadataStore contract: ${name}`, () => {
    let backing: StoreBacking<MetadataStore>;
    const opened: MetadataStore[] = [];
    const open = async () => {
      const store = await backing.open();
      opened.push(store);
      return store;
    };
    let store: MetadataStore;

    beforeEach(async () => {
      backing = await createBacking();
      store = await open();
    });
    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close();
      await backing.dispose();
    });

    const seeded = async (options: Parameters<typeof contractSeed>[1] = {}) => {
      const s = contractSeed('4200001', options);
      await store.seed.import(s.data);
      return s;
    };
    const del = (s: ReturnType<typeof contractSeed>, attachmentId: string, at = T0, on = store) =>
      on.attachments.markDeleted({
        orgId: s.org,
        recordId: s.record.live,
        attachmentId,
        deletedBy: s.user.boss,
        at,
      });

    describe('secrets.getOrCreate', () => {
      it('keeps the first value stored under a name, for every instance on the same data', async () => {
        expect(await store.secrets.getOrCreate('k', 'first')).toBe('first');
        expect(await store.secrets.getOrCreate('k', 'second')).toBe('first');
        const other = await open();
        expect(await other.secrets.getOrCreate('k', 'third')).toBe('first');
        expect(await other.secrets.getOrCreate('other', 'x')).toBe('x');
      });

      it('gives concurrent callers one winner', async () => {
        const other = await open();
        const got = await Promise.all([
          store.secrets.getOrCreate('race', 'a'),
          other.secrets.getOrCreate('race', 'b'),
        ]);
        expect(got[0]).toBe(got[1]);
      });
    });

    describe('migrate', () => {
      it('is repeatable: applying migrations again changes nothing', async () => {
        const s = await seeded();
        await store.migrate();
        await store.migrate();
        expect(await store.seed.organizationCount()).toBe(1);
        expect(await store.attachments.findLive(s.org, s.record.live, s.attachmentIds[0]!)).not.toBeNull();
      });

      it('lets a second instance open the same, already migrated data', async () => {
        const s = await seeded();
        const other = await open();
        await other.migrate();
        expect(await other.seed.organization(s.org)).toEqual({ idPrefix: s.prefix, dataCenter: 'eu' });
      });
    });

    describe('ping', () => {
      it('resolves on an open store and rejects once it is closed', async () => {
        await expect(store.ping()).resolves.toBeUndefined();
        const other = await open();
        await other.close();
        await expect(other.ping()).rejects.toThrow();
      });
    });

    describe('auth.findByTokenHash', () => {
      it('returns the whole grant, reporting expiry and revocation instead of filtering them', async () => {
        const s = await seeded();
        expect(await store.auth.findByTokenHash(s.tokenHash)).toEqual({
          token: {
            hash: s.tokenHash,
            scopes: 'ZohoBigin.modules.ALL',
            dataCenter: 'eu',
            expiresAt: T0 + DAY,
            revokedAt: T0 - 5,
          },
          org: { id: s.org, dataCenter: 'eu', disabledModules: ['Products'] },
          user: { id: s.user.rep, name: 'Rep', roleId: s.role.bottom, active: false },
          profile: {
            id: s.profile.standard,
            name: 'Standard',
            admin: false,
            permissions: s.data.profiles[1]!.permissions,
          },
        });
      });

      it('returns null when no token has that hash', async () => {
        await seeded();
        expect(await store.auth.findByTokenHash('no-such-hash')).toBeNull();
      });
    });

    describe('records.findLive', () => {
      it("returns a live record of the module with its owner's role", async () => {
        const s = await seeded();
        expect(await store.records.findLive(s.org, 'Contacts', s.record.live)).toEqual({
          id: s.record.live,
          module: 'Contacts',
          name: 'Live',
          ownerId: s.user.rep,
          ownerRoleId: s.role.bottom,
        });
      });

      it('returns null for a deleted record, another module, another organisation or an unknown id', async () => {
        const s = await seeded();
        const other = contractSeed('4200002');
        await store.seed.import(other.data);
        expect(await store.records.findLive(s.org, 'Contacts', s.record.deleted)).toBeNull();
        expect(await store.records.findLive(s.org, 'Contacts', s.record.other)).toBeNull();
        expect(await store.records.findLive(s.org, 'Contacts', other.record.live)).toBeNull();
        expect(await store.records.findLive(s.org, 'Contacts', '999')).toBeNull();
      });
    });

    describe('roles', () => {
      it('finds a role by id, and null for an unknown one', async () => {
        const s = await seeded();
        expect(await store.roles.find(s.org, s.role.middle)).toEqual({
          id: s.role.middle,
          name: 'Middle',
          reportsTo: s.role.top,
          shareWithPeers: true,
        });
        expect(await store.roles.find(s.org, '999')).toBeNull();
        expect(await store.roles.find('999', s.role.middle)).toBeNull();
      });

      it('lists the roles above, nearest first; empty for a top role or an unknown one', async () => {
        const s = await seeded();
        expect(await store.roles.ancestors(s.org, s.role.bottom)).toEqual([s.role.middle, s.role.top]);
        expect(await store.roles.ancestors(s.org, s.role.top)).toEqual([]);
        expect(await store.roles.ancestors(s.org, '999')).toEqual([]);
      });

      it('stops on a cycle in bad data instead of looping forever', async () => {
        const s = contractSeed('4200003');
        const [a, b] = [s.role.top, s.role.middle];
        s.data.roles[0]!.reportsTo = b;
        await store.seed.import(s.data);
        const up = await store.roles.ancestors(s.org, a);
        expect(up.slice(0, 2)).toEqual([b, a]);
        expect(up.length).toBeLessThanOrEqual(64);
      });
    });

    describe('attachments.markDeleted', () => {
      it('moves a live attachment to the recycle bin once, then resolves false', async () => {
        const s = await seeded();
        const id = s.attachmentIds[0]!;
        expect(await del(s, id, T0 + 7)).toBe(true);
        expect(await store.attachments.findLive(s.org, s.record.live, id)).toBeNull();
        expect(await store.attachments.listDeleted({ orgId: s.org, limit: 10, offset: 0 })).toEqual([
          {
            orgId: s.org,
            id,
            recordId: s.record.live,
            module: 'Contacts',
            fileName: 'file-0.txt',
            size: 10,
            deletedAt: T0 + 7,
            deletedBy: s.user.boss,
          },
        ]);
        expect(await del(s, id)).toBe(false);
      });

      it('resolves false for another record, another organisation or an unknown attachment', async () => {
        const s = await seeded();
        const id = s.attachmentIds[0]!;
        expect(
          await store.attachments.markDeleted({
            orgId: s.org,
            recordId: s.record.other,
            attachmentId: id,
            deletedBy: s.user.boss,
            at: T0,
          }),
        ).toBe(false);
        expect(
          await store.attachments.markDeleted({
            orgId: '999',
            recordId: s.record.live,
            attachmentId: id,
            deletedBy: s.user.boss,
            at: T0,
          }),
        ).toBe(false);
        expect(await del(s, '999')).toBe(false);
        expect(await store.attachments.findLive(s.org, s.record.live, id)).not.toBeNull();
      });

      it('resolves true for exactly one of many concurrent calls, across instances too', async () => {
        const s = await seeded();
        const second = await open();
        for (const id of s.attachmentIds.slice(0, 3)) {
          const results = await Promise.all(
            Array.from({ length: 12 }, (_, i) => del(s, id, T0 + i, i % 2 === 0 ? store : second)),
          );
          expect(results.filter(Boolean)).toHaveLength(1);
        }
      });

      it('is durable once it resolves: a new instance sees the deletion', async () => {
        const s = await seeded();
        expect(await del(s, s.attachmentIds[0]!)).toBe(true);
        await store.close();
        const reopened = await open();
        store = reopened;
        expect(await reopened.attachments.findLive(s.org, s.record.live, s.attachmentIds[0]!)).toBeNull();
        expect(await del(s, s.attachmentIds[0]!, T0, reopened)).toBe(false);
      });
    });

    describe('attachments.findLive', () => {
      it('returns every column of a live attachment', async () => {
        const s = await seeded();
        expect(await store.attachments.findLive(s.org, s.record.live, s.attachmentIds[0]!)).toEqual(
          s.data.attachments[0],
        );
        expect(await store.attachments.findLive(s.org, s.record.live, s.attachmentIds[1]!)).toEqual(
          s.data.attachments[1],
        );
      });

      it('returns null for a deleted attachment, another record or another organisation', async () => {
        const s = await seeded();
        await del(s, s.attachmentIds[0]!);
        expect(await store.attachments.findLive(s.org, s.record.live, s.attachmentIds[0]!)).toBeNull();
        expect(await store.attachments.findLive(s.org, s.record.other, s.attachmentIds[1]!)).toBeNull();
        expect(await store.attachments.findLive('999', s.record.live, s.attachmentIds[1]!)).toBeNull();
      });
    });

    describe('attachments.existingIds', () => {
      it('finds ids in any state (live, deleted, being purged) in that organisation only', async () => {
        const s = await seeded();
        const [live, deleted, purging] = s.attachmentIds;
        await del(s, deleted!, T0);
        await del(s, purging!, T0 - 100 * DAY);
        expect(
          await store.attachments.claimPurge({ deletedBefore: T0 - DAY, limit: 10, at: T0 }),
        ).toHaveLength(1);
        expect(
          await store.attachments.existingIds(s.org, [live!, deleted!, purging!, '999', s.record.live]),
        ).toEqual(new Set([live, deleted, purging]));
        expect(await store.attachments.existingIds('999', [live!])).toEqual(new Set());
        expect(await store.attachments.existingIds(s.org, [])).toEqual(new Set());
      });
    });

    describe('attachments.listDeleted', () => {
      it('lists one organisation, most recently deleted first, with limit and offset', async () => {
        const s = await seeded();
        const other = contractSeed('4200002');
        await store.seed.import(other.data);
        await del(other, other.attachmentIds[0]!, T0 + 50);
        const ids = s.attachmentIds;
        await del(s, ids[2]!, T0 + 1);
        await del(s, ids[0]!, T0 + 3);
        await del(s, ids[1]!, T0 + 2);
        const page = async (limit: number, offset: number) =>
          (await store.attachments.listDeleted({ orgId: s.org, limit, offset })).map((d) => d.id);
        expect(await page(10, 0)).toEqual([ids[0], ids[1], ids[2]]);
        expect(await page(2, 0)).toEqual([ids[0], ids[1]]);
        expect(await page(2, 2)).toEqual([ids[2]]);
        expect(await page(2, 4)).toEqual([]);
      });

      it('never includes items being purged', async () => {
        const s = await seeded();
        await del(s, s.attachmentIds[0]!, T0 - 100 * DAY);
        await del(s, s.attachmentIds[1]!, T0);
        await store.attachments.claimPurge({ deletedBefore: T0 - DAY, limit: 10, at: T0 });
        const listed = await store.attachments.listDeleted({ orgId: s.org, limit: 10, offset: 0 });
        expect(listed.map((d) => d.id)).toEqual([s.attachmentIds[1]]);
      });
    });

    describe('attachments.restore', () => {
      it('brings back an attachment deleted at or after deletedSince', async () => {
        const s = await seeded();
        await del(s, s.attachmentIds[0]!, T0);
        await del(s, s.attachmentIds[1]!, T0 + 5);
        expect(
          await store.attachments.restore({
            orgId: s.org,
            attachmentId: s.attachmentIds[0]!,
            deletedSince: T0,
          }),
        ).toBe(true);
        expect(
          await store.attachments.restore({
            orgId: s.org,
            attachmentId: s.attachmentIds[1]!,
            deletedSince: T0,
          }),
        ).toBe(true);
        expect(await store.attachments.findLive(s.org, s.record.live, s.attachmentIds[0]!)).toEqual(
          s.data.attachments[0],
        );
        expect(await store.attachments.listDeleted({ orgId: s.org, limit: 10, offset: 0 })).toEqual([]);
      });

      it('resolves false when deleted before deletedSince, live, unknown or in another organisation', async () => {
        const s = await seeded();
        await del(s, s.attachmentIds[0]!, T0 - 1);
        const restore = (orgId: string, attachmentId: string) =>
          store.attachments.restore({ orgId, attachmentId, deletedSince: T0 });
        expect(await restore(s.org, s.attachmentIds[0]!)).toBe(false);
        expect(await restore(s.org, s.attachmentIds[1]!)).toBe(false);
        expect(await restore(s.org, '999')).toBe(false);
        expect(await restore('999', s.attachmentIds[0]!)).toBe(false);
        expect(await store.attachments.findLive(s.org, s.record.live, s.attachmentIds[0]!)).toBeNull();
      });

      it('resolves false for an attachment being purged', async () => {
        const s = await seeded();
        await del(s, s.attachmentIds[0]!, T0 - 100 * DAY);
        await store.attachments.claimPurge({ deletedBefore: T0 - DAY, limit: 10, at: T0 });
        expect(
          await store.attachments.restore({
            orgId: s.org,
            attachmentId: s.attachmentIds[0]!,
            deletedSince: T0 - 200 * DAY,
          }),
        ).toBe(false);
      });

      it('and a concurrent claim never both succeed', async () => {
        const s = await seeded();
        const second = await open();
        for (const id of s.attachmentIds.slice(0, 4)) {
          await del(s, id, T0 - 100 * DAY);
          const [restored, claims] = await Promise.all([
            store.attachments.restore({ orgId: s.org, attachmentId: id, deletedSince: T0 - 200 * DAY }),
            second.attachments.claimPurge({ deletedBefore: T0 - DAY, limit: 10, at: T0 }),
          ]);
          const claimed = claims.some((c) => c.id === id);
          expect(restored !== claimed).toBe(true);
          if (claimed) await second.attachments.finishPurge(claims);
          expect(await store.attachments.existingIds(s.org, [id])).toEqual(
            restored ? new Set([id]) : new Set(),
          );
        }
      });
    });

    describe('attachments.claimPurge and finishPurge', () => {
      it('claims only attachments deleted strictly before deletedBefore, oldest first, up to limit', async () => {
        const s = await seeded();
        const ids = s.attachmentIds;
        await del(s, ids[0]!, T0 - 10);
        await del(s, ids[1]!, T0 - 30);
        await del(s, ids[2]!, T0 - 20);
        await del(s, ids[3]!, T0);
        const claims = await store.attachments.claimPurge({ deletedBefore: T0, limit: 2, at: T0 });
        expect(claims).toEqual([
          { orgId: s.org, id: ids[1], blobKey: null },
          { orgId: s.org, id: ids[2], blobKey: `${s.org}/blob/${ids[2]}` },
        ]);
      });

      it('never claims a live attachment', async () => {
        const s = await seeded();
        expect(
          await store.attachments.claimPurge({ deletedBefore: T0 + 1000 * DAY, limit: 100, at: T0 }),
        ).toEqual([]);
        expect(await store.attachments.existingIds(s.org, s.attachmentIds)).toEqual(new Set(s.attachmentIds));
      });

      it('is repeatable: claims left unfinished (a crashed purge) are claimed again', async () => {
        const s = await seeded();
        await del(s, s.attachmentIds[0]!, T0 - 100 * DAY);
        const first = await store.attachments.claimPurge({ deletedBefore: T0 - DAY, limit: 10, at: T0 });
        expect(first.map((c) => c.id)).toEqual([s.attachmentIds[0]]);
        // The retention window moved back: only the earlier, unfinished claim qualifies.
        const again = await store.attachments.claimPurge({
          deletedBefore: T0 - 200 * DAY,
          limit: 10,
          at: T0 + 1,
        });
        expect(again).toEqual(first);
        const reopened = await open();
        expect(await reopened.attachments.claimPurge({ deletedBefore: 0, limit: 10, at: T0 + 2 })).toEqual(
          first,
        );
      });

      it('finishPurge removes the rows of claimed attachments, and is repeatable', async () => {
        const s = await seeded();
        await del(s, s.attachmentIds[0]!, T0 - 100 * DAY);
        await del(s, s.attachmentIds[1]!, T0);
        const claims = await store.attachments.claimPurge({ deletedBefore: T0 - DAY, limit: 10, at: T0 });
        await store.attachments.finishPurge(claims);
        await store.attachments.finishPurge(claims);
        expect(await store.attachments.existingIds(s.org, s.attachmentIds.slice(0, 2))).toEqual(
          new Set([s.attachmentIds[1]]),
        );
        expect(await store.attachments.claimPurge({ deletedBefore: T0 - DAY, limit: 10, at: T0 })).toEqual(
          [],
        );
      });

      it('finishPurge leaves an attachment that was never claimed', async () => {
        const s = await seeded();
        await del(s, s.attachmentIds[0]!, T0);
        await store.attachments.finishPurge([{ orgId: s.org, id: s.attachmentIds[0]!, blobKey: null }]);
        await store.attachments.finishPurge([{ orgId: s.org, id: s.attachmentIds[1]!, blobKey: null }]);
        expect(await store.attachments.existingIds(s.org, s.attachmentIds.slice(0, 2))).toEqual(
          new Set(s.attachmentIds.slice(0, 2)),
        );
      });

      it('concurrent claims across instances purge every attachment exactly once in the end', async () => {
        const s = await seeded({ attachmentCount: 20 });
        for (const id of s.attachmentIds) await del(s, id, T0 - 100 * DAY);
        const second = await open();
        const drain = async (on: MetadataStore) => {
          for (;;) {
            const claims = await on.attachments.claimPurge({ deletedBefore: T0 - DAY, limit: 3, at: T0 });
            if (claims.length === 0) return;
            await on.attachments.finishPurge(claims);
          }
        };
        await Promise.all([drain(store), drain(second)]);
        expect(await store.attachments.existingIds(s.org, s.attachmentIds)).toEqual(new Set());
      });
    });

    describe('blobJournal', () => {
      it('begin is idempotent and stale lists keys begun strictly before, oldest first, up to limit', async () => {
        await store.blobJournal.begin('k/b', T0 + 2);
        await store.blobJournal.begin('k/a', T0 + 1);
        await store.blobJournal.begin('k/a', T0 + 5);
        await store.blobJournal.begin('k/c', T0 + 3);
        expect(await store.blobJournal.stale(T0 + 3, 10)).toEqual(['k/a', 'k/b']);
        expect(await store.blobJournal.stale(T0 + 10, 2)).toEqual(['k/a', 'k/b']);
        expect(await store.blobJournal.stale(T0 + 1, 10)).toEqual([]);
      });

      it('forget removes keys, and forgetting unknown keys resolves', async () => {
        await store.blobJournal.begin('k/a', T0);
        await store.blobJournal.begin('k/b', T0);
        await store.blobJournal.forget(['k/a', 'k/none']);
        await store.blobJournal.forget([]);
        expect(await store.blobJournal.stale(T0 + 1, 10)).toEqual(['k/b']);
      });

      it("an import commits the journal entries of its attachments' blob keys", async () => {
        const s = contractSeed('4200001');
        const key = s.data.attachments[0]!.blobKey!;
        await store.blobJournal.begin(key, T0);
        await store.blobJournal.begin('k/uncommitted', T0);
        await store.seed.import(s.data);
        expect(await store.blobJournal.stale(T0 + 1, 10)).toEqual(['k/uncommitted']);
      });
    });

    describe('seed', () => {
      it('import inserts everything and reports what it added', async () => {
        const s = contractSeed('4200001');
        expect(await store.seed.import(s.data)).toEqual({
          clients: 1,
          organizations: 1,
          profiles: 2,
          roles: 3,
          users: 2,
          tokens: 1,
          records: 3,
          attachments: 5,
        });
        expect(await store.seed.organizationCount()).toBe(1);
      });

      it('a second import of the same data inserts nothing and leaves existing rows as they are', async () => {
        const s = await seeded();
        await del(s, s.attachmentIds[0]!);
        const changed = structuredClone(s.data);
        changed.organizations[0]!.name = 'Renamed';
        changed.attachments[1]!.fileName = 'renamed.txt';
        expect(await store.seed.import(changed)).toEqual({
          clients: 0,
          organizations: 0,
          profiles: 0,
          roles: 0,
          users: 0,
          tokens: 0,
          records: 0,
          attachments: 0,
        });
        expect(await store.attachments.findLive(s.org, s.record.live, s.attachmentIds[0]!)).toBeNull();
        expect((await store.attachments.findLive(s.org, s.record.live, s.attachmentIds[1]!))?.fileName).toBe(
          'file-1.txt',
        );
      });

      it('imports thousands of rows in one call, and skips exactly the ones already there', async () => {
        const small = contractSeed('4200001', { attachmentCount: 700 });
        await store.seed.import(small.data);
        const big = contractSeed('4200001', { attachmentCount: 2500 });
        expect((await store.seed.import(big.data)).attachments).toBe(1800);
        expect(await store.attachments.existingIds(big.org, big.attachmentIds)).toEqual(
          new Set(big.attachmentIds),
        );
        expect(await store.seed.reserveSequence(big.org, 1)).toBe(big.lastSeq + 1);
      });

      it('concurrent imports of the same data from two instances insert each row once', async () => {
        const s = contractSeed('4200001');
        const second = await open();
        const counts = await Promise.all([store.seed.import(s.data), second.seed.import(s.data)]);
        expect(counts[0]!.attachments + counts[1]!.attachments).toBe(5);
        expect(counts[0]!.organizations + counts[1]!.organizations).toBe(1);
      });

      it('is one transaction: a failing import leaves nothing behind', async () => {
        const s = contractSeed('4200001');
        const broken = structuredClone(s.data);
        // A record owned by a user that does not exist breaks a foreign key.
        broken.records.push({ ...broken.records[0]!, id: '4200001000000000999', ownerId: '1' });
        await expect(store.seed.import(broken)).rejects.toThrow();
        expect(await store.seed.organizationCount()).toBe(0);
      });

      it('organization returns prefix and data center, or null', async () => {
        const s = await seeded();
        expect(await store.seed.organization(s.org)).toEqual({ idPrefix: '4200001', dataCenter: 'eu' });
        expect(await store.seed.organization('999')).toBeNull();
      });

      it('idPrefixTaken is per data center', async () => {
        await seeded();
        expect(await store.seed.idPrefixTaken('eu', '4200001')).toBe(true);
        expect(await store.seed.idPrefixTaken('us', '4200001')).toBe(false);
        expect(await store.seed.idPrefixTaken('eu', '4200002')).toBe(false);
      });

      it('reserveSequence returns consecutive blocks past every id the import used', async () => {
        const s = await seeded();
        const first = await store.seed.reserveSequence(s.org, 3);
        expect(first).toBe(s.lastSeq + 1);
        expect(await store.seed.reserveSequence(s.org, 1)).toBe(first + 3);
      });

      it('reserveSequence never hands out a number twice under concurrency, across instances', async () => {
        const s = await seeded();
        const second = await open();
        const starts = await Promise.all(
          Array.from({ length: 20 }, (_, i) => (i % 2 ? store : second).seed.reserveSequence(s.org, 2)),
        );
        const numbers = starts.flatMap((n) => [n, n + 1]);
        expect(new Set(numbers).size).toBe(40);
        expect(Math.min(...numbers)).toBe(s.lastSeq + 1);
        expect(Math.max(...numbers)).toBe(s.lastSeq + 40);
      });

      it('reserveSequence rejects for an unknown organisation', async () => {
        await expect(store.seed.reserveSequence('999', 1)).rejects.toThrow();
      });
    });
  });
}
