import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  AttachmentRow,
  CascadeRule,
  GrantCodeRow,
  MetadataStore,
  StoredRecord,
  TokenLimits,
} from '../../src/domain/ports.js';
import { contractSeed, type StoreBacking, T0 } from './contract-seed.js';

/**
 * The ports main added for uploads and listings, the records API and the OAuth server
 * (`AttachmentCatalog`, `RecordDataRepository`, `OAuthRepository`), one test per behavioural
 * sentence of their JSDoc worth pinning, run against every MetadataStore. Concurrency is tested
 * across two instances on the same data, as two nodes would run.
 */
export function metadataStoreApisContract(
  name: string,
  createBacking: () => Promise<StoreBacking<MetadataStore>>,
) {
  describe(`MetadataStore contract (catalog, records, OAuth): ${name}`, () => {
    let backing: StoreBacking<MetadataStore>;
    const opened: MetadataStore[] = [];
    const open = async () => {
      const s = await backing.open();
      opened.push(s);
      return s;
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

    const seeded = async () => {
      const s = contractSeed('4300001', { attachmentCount: 2 });
      await store.seed.import(s.data);
      return s;
    };
    type Seed = Awaited<ReturnType<typeof seeded>>;

    const row = (s: Seed, id: string, overrides: Partial<AttachmentRow> = {}): AttachmentRow => ({
      orgId: s.org,
      id,
      recordId: s.record.live,
      module: 'Contacts',
      kind: 'file',
      fileName: `${id}.bin`,
      contentType: 'application/octet-stream',
      size: 3,
      blobKey: `${s.org}/k/${id}`,
      linkUrl: null,
      sha256: 'x',
      ownerId: s.user.rep,
      createdBy: s.user.boss,
      modifiedBy: s.user.rep,
      createdAt: T0,
      modifiedAt: T0,
      deletedAt: null,
      deletedBy: null,
      ...overrides,
    });

    const record = (s: Seed, id: string, fields: Record<string, unknown>, module = 'Contacts') =>
      ({
        id,
        module,
        name: `R${id}`,
        ownerId: s.user.rep,
        fields,
        createdBy: s.user.boss,
        modifiedBy: s.user.boss,
        createdAt: T0,
        modifiedAt: T0,
      }) as StoredRecord;

    describe('attachmentCatalog.insertLive', () => {
      it('inserts the row and forgets its journal entry', async () => {
        const s = await seeded();
        await store.blobJournal.begin(`${s.org}/k/5`, T0);
        expect(await store.attachmentCatalog.insertLive(row(s, '5'))).toBe(true);
        expect(await store.attachments.findLive(s.org, s.record.live, '5')).toMatchObject({
          id: '5',
          size: 3,
        });
        expect(await store.blobJournal.stale(T0 + 1, 10)).toEqual([]);
      });

      it('writes nothing, and keeps the journal entry, when the record is deleted or of another module', async () => {
        const s = await seeded();
        await store.blobJournal.begin(`${s.org}/k/6`, T0);
        expect(await store.attachmentCatalog.insertLive(row(s, '6', { recordId: s.record.deleted }))).toBe(
          false,
        );
        expect(await store.attachmentCatalog.insertLive(row(s, '6', { module: 'Accounts' }))).toBe(false);
        expect(await store.attachments.existingIds(s.org, ['6'])).toEqual(new Set());
        expect(await store.blobJournal.stale(T0 + 1, 10)).toEqual([`${s.org}/k/6`]);
      });

      it('stores any file name as given, a NUL byte included', async () => {
        const s = await seeded();
        const fileName = 'a\u0000b\uffff\\0.txt';
        expect(await store.attachmentCatalog.insertLive(row(s, '7', { fileName }))).toBe(true);
        expect((await store.attachments.findLive(s.org, s.record.live, '7'))?.fileName).toBe(fileName);
      });

      it('never leaves a live attachment on a record deleted at the same moment, across instances', async () => {
        const s = await seeded();
        const second = await open();
        const ids = Array.from({ length: 10 }, (_, i) => String(500 + i));
        const [deleted, ...inserted] = await Promise.all([
          second.recordData.deleteCascade({
            orgId: s.org,
            module: 'Contacts',
            id: s.record.live,
            deletedBy: s.user.boss,
            at: T0,
            cascade: () => [],
          }),
          ...ids.map((id) => store.attachmentCatalog.insertLive(row(s, id))),
        ]);
        expect(deleted).not.toBe(false);
        const live = await store.attachmentCatalog.listLive({
          orgId: s.org,
          recordId: s.record.live,
          limit: 100,
          offset: 0,
        });
        expect(live).toEqual([]);
        // Every attachment that got in went to the recycle bin with its record.
        const present = await store.attachments.existingIds(s.org, ids);
        expect(present.size).toBe(inserted.filter(Boolean).length);
      });
    });

    describe('attachmentCatalog.listLive', () => {
      it('orders newest first, then by id as a number, never lists deleted rows, and pages', async () => {
        const s = await seeded();
        await store.attachments.markDeleted({
          orgId: s.org,
          recordId: s.record.live,
          attachmentId: s.attachmentIds[0]!,
          deletedBy: s.user.boss,
          at: T0,
        });
        await store.attachments.markDeleted({
          orgId: s.org,
          recordId: s.record.live,
          attachmentId: s.attachmentIds[1]!,
          deletedBy: s.user.boss,
          at: T0,
        });
        for (const r of [
          row(s, '9'),
          row(s, '10'),
          row(s, '100', { createdAt: T0 - 1000 }),
          row(s, '11'),
          row(s, '8', { createdAt: T0 + 1000 }),
        ])
          expect(await store.attachmentCatalog.insertLive(r)).toBe(true);
        const page = (limit: number, offset: number) =>
          store.attachmentCatalog
            .listLive({ orgId: s.org, recordId: s.record.live, limit, offset })
            .then((p) => p.map((e) => e.id));
        expect(await page(10, 0)).toEqual(['8', '11', '10', '9', '100']);
        expect([await page(2, 0), await page(2, 2), await page(2, 4), await page(2, 6)]).toEqual([
          ['8', '11'],
          ['10', '9'],
          ['100'],
          [],
        ]);
        // Every page shape, more than a store keeps prepared (SQLite writes the page into the
        // statement), then the first again: each is the slice of the whole list.
        const all = await page(10, 0);
        for (const [limit, offset] of [
          ...Array.from({ length: 20 }, (_, i) => [1 + (i % 5), Math.floor(i / 5)] as const),
          [10, 0] as const,
        ])
          expect(await page(limit, offset)).toEqual(all.slice(offset, offset + limit));
      });

      it('joins the record name and the people; userTimeZone is the stored zone or null', async () => {
        const s = await seeded();
        await store.attachmentCatalog.insertLive(row(s, '12'));
        const [entry] = await store.attachmentCatalog.listLive({
          orgId: s.org,
          recordId: s.record.live,
          limit: 1,
          offset: 0,
        });
        expect(entry).toMatchObject({
          recordName: 'Live',
          owner: { id: s.user.rep, name: 'Rep', email: 'rep@example.com' },
          creator: { id: s.user.boss, name: 'Boss', email: 'boss@example.com' },
          modifier: { id: s.user.rep, name: 'Rep', email: 'rep@example.com' },
        });
        expect(await store.attachmentCatalog.userTimeZone(s.org, s.user.boss)).toBe('Europe/Paris');
        expect(await store.attachmentCatalog.userTimeZone(s.org, '9')).toBeNull();
      });
    });

    describe('recordData', () => {
      it('keeps field values in the order they were set', async () => {
        const s = await seeded();
        await store.recordData.insert(s.org, [
          { ...record(s, '20', { b: 1, a: { id: '2' }, aa: 'x' }), unique: [] },
        ]);
        const found = await store.recordData.findLive(s.org, 'Contacts', ['20']);
        expect(Object.keys(found.get('20')!.fields)).toEqual(['b', 'a', 'aa']);
      });

      it('refuses a unique value held by a live record, case-insensitively, earlier ones of the call included', async () => {
        const s = await seeded();
        const email = (id: string, value: string) => ({
          ...record(s, id, { Email: value }),
          unique: [{ field: 'Email', value }],
        });
        expect(
          await store.recordData.insert(s.org, [email('21', 'Ä@x.com'), email('22', 'ä@X.COM')]),
        ).toEqual([{ ok: true }, { ok: false, duplicate: { field: 'Email', id: '21' } }]);
        expect(
          await store.recordData.update(s.org, {
            ...record(s, '20', {}),
            id: s.record.live,
            fields: { Email: 'ä@x.com' },
            unique: [{ field: 'Email', value: 'ä@x.com' }],
          }),
        ).toEqual({ ok: false, duplicate: { field: 'Email', id: '21' } });
        // Its own value is no duplicate, and a record that is not live is not updated.
        expect(
          await store.recordData.update(s.org, {
            ...record(s, '21', { Email: 'Ä@x.com', Phone: '1' }),
            unique: [{ field: 'Email', value: 'Ä@x.com' }],
          }),
        ).toEqual({ ok: true });
        expect(
          await store.recordData.update(s.org, { ...record(s, s.record.deleted, {}), unique: [] }),
        ).toBeNull();
      });

      it('lets exactly one of concurrent inserts of one unique value win, across instances', async () => {
        const s = await seeded();
        const second = await open();
        const results = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            (i % 2 ? store : second).recordData.insert(s.org, [
              {
                ...record(s, String(30 + i), { Email: 'same@x.com' }),
                unique: [{ field: 'Email', value: 'same@x.com' }],
              },
            ]),
          ),
        );
        expect(results.flat().filter((r) => r.ok)).toHaveLength(1);
      });

      it('lists by id as a number, in pages after a cursor', async () => {
        const s = await seeded();
        await store.recordData.insert(
          s.org,
          ['9', '10', '100', '11'].map((id) => ({ ...record(s, id, {}, 'Pipelines'), unique: [] })),
        );
        const list = (after: { value: number | null; id: string } | null, descending = false) =>
          store.recordData
            .list({
              orgId: s.org,
              module: 'Pipelines',
              ownerIds: [s.user.rep],
              sortBy: 'id',
              descending,
              limit: 2,
              offset: 0,
              after,
            })
            .then((r) => r.map((x) => x.id));
        expect(await list(null)).toEqual(['9', '10']);
        expect(await list({ value: null, id: '10' })).toEqual(['11', '100']);
        expect(await list({ value: null, id: '11' }, true)).toEqual(['10', '9']);
      });

      const cascade: CascadeRule = (module) =>
        module === 'Contacts' ? [{ module: 'Notes', field: 'Parent_Id' }] : [];

      it('deletes a record with what the cascade reaches and their attachments, and restores exactly that', async () => {
        const s = await seeded();
        const [own, withRecord] = s.attachmentIds as [string, string];
        await store.recordData.insert(s.org, [
          { ...record(s, '40', { Parent_Id: { id: s.record.live } }, 'Notes'), unique: [] },
          { ...record(s, '41', { Parent_Id: { id: s.record.other } }, 'Notes'), unique: [] },
        ]);
        // Deleted on its own before: stays deleted when the record comes back.
        await store.attachments.markDeleted({
          orgId: s.org,
          recordId: s.record.live,
          attachmentId: own,
          deletedBy: s.user.boss,
          at: T0 - 10,
        });
        const input = {
          orgId: s.org,
          module: 'Contacts' as const,
          id: s.record.live,
          deletedBy: s.user.boss,
          at: T0 + 5,
          cascade,
        };
        expect(await store.recordData.deleteCascade(input)).toEqual({ records: 2, attachments: 1 });
        expect(await store.recordData.deleteCascade(input)).toBe(false);
        expect((await store.recordData.findLive(s.org, 'Notes', ['40', '41'])).has('41')).toBe(true);
        expect((await store.recordData.findLive(s.org, 'Notes', ['40', '41'])).has('40')).toBe(false);
        // Only the record deleted directly is in the records' recycle bin.
        expect(
          (await store.recordData.listDeleted({ orgId: s.org, limit: 10, offset: 0 })).map((r) => r.id),
        ).toEqual([s.record.live, s.record.deleted]);
        // An attachment that went with its record comes back only with the record.
        expect(
          await store.attachments.restore({ orgId: s.org, attachmentId: withRecord, deletedSince: 0 }),
        ).toBe(false);
        expect(
          await store.recordData.restoreCascade({ orgId: s.org, id: '40', deletedSince: 0, at: T0 + 100 }),
        ).toBeNull();
        expect(
          await store.recordData.restoreCascade({
            orgId: s.org,
            id: s.record.live,
            deletedSince: T0 + 6,
            at: T0 + 100,
          }),
        ).toBeNull();
        expect(
          await store.recordData.restoreCascade({
            orgId: s.org,
            id: s.record.live,
            deletedSince: T0 + 5,
            at: T0 + 100,
          }),
        ).toEqual({
          records: 2,
          attachments: 1,
        });
        expect(await store.attachments.findLive(s.org, s.record.live, withRecord)).not.toBeNull();
        expect(await store.attachments.findLive(s.org, s.record.live, own)).toBeNull();
        expect((await store.recordData.findLive(s.org, 'Notes', ['40'])).has('40')).toBe(true);
        // A record seeded as deleted was deleted directly: it can be restored by its id.
        expect(
          await store.recordData.restoreCascade({
            orgId: s.org,
            id: s.record.deleted,
            deletedSince: 0,
            at: T0 + 100,
          }),
        ).toEqual({
          records: 1,
          attachments: 0,
        });
      });

      it('purges deleted records past retention once no attachment row refers to them', async () => {
        const s = await seeded();
        await store.recordData.insert(s.org, [{ ...record(s, '50', {}), unique: [] }]);
        await store.recordData.deleteCascade({
          orgId: s.org,
          module: 'Contacts',
          id: '50',
          deletedBy: s.user.boss,
          at: T0,
          cascade,
        });
        await store.recordData.deleteCascade({
          orgId: s.org,
          module: 'Contacts',
          id: s.record.live,
          deletedBy: s.user.boss,
          at: T0,
          cascade,
        });
        // The seeded deleted record and record 50 have no attachments; the live one still has rows.
        expect(await store.recordData.purge({ deletedBefore: T0 + 1, limit: 10 })).toBe(2);
        expect(await store.recordData.organizationsOf('50')).toEqual([]);
        expect(await store.recordData.organizationsOf(s.record.live)).toEqual([s.org]);
      });
    });

    describe('oauth', () => {
      const limits: TokenLimits = {
        maxLiveAccessTokensPerRefreshToken: 2,
        maxRefreshTokensPerUserAndClient: 2,
        maxRefreshesPerWindow: 3,
        refreshWindowMs: 60_000,
      };
      const code = (s: Seed, hash: string): GrantCodeRow => ({
        hash,
        clientId: `client-${s.prefix}`,
        orgId: s.org,
        userId: s.user.boss,
        scopes: 'ZohoBigin.modules.ALL',
        dataCenter: 'eu',
        redirectUri: 'https://example.com/cb',
        issueRefresh: true,
        expiresAt: T0 + 60_000,
        usedAt: null,
        createdAt: T0,
      });
      const redeem = (on: MetadataStore, hash: string, n: number, at = T0) =>
        on.oauth.redeemGrantCode({
          codeHash: hash,
          at,
          accessTokenHash: `access-${n}`,
          accessExpiresAt: at + 3_600_000,
          refreshTokenHash: `refresh-${n}`,
          limits,
        });

      it('redeems a code exactly once under concurrency, across instances; the losers issue nothing', async () => {
        const s = await seeded();
        const second = await open();
        await store.oauth.saveGrantCode(code(s, 'code-1'));
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) => redeem(i % 2 ? store : second, 'code-1', i)),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = results.indexOf(true);
        for (let i = 0; i < 10; i++) {
          expect((await store.auth.findByTokenHash(`access-${i}`)) !== null).toBe(i === winner);
          expect((await store.oauth.findRefreshToken(`refresh-${i}`)) !== null).toBe(i === winner);
        }
        expect((await store.oauth.findGrantCode('code-1'))?.usedAt).toBe(T0);
        expect(await store.oauth.hasOfflineConsent(s.org, s.user.boss, `client-${s.prefix}`)).toBe(true);
      });

      it('refuses an expired code', async () => {
        const s = await seeded();
        await store.oauth.saveGrantCode(code(s, 'code-2'));
        expect(await redeem(store, 'code-2', 1, T0 + 60_000)).toBe(false);
      });

      it('evicts the oldest refresh token over the limit with its access tokens', async () => {
        const s = await seeded();
        for (let i = 1; i <= 3; i++) {
          await store.oauth.saveGrantCode(code(s, `code-${i}`));
          expect(await redeem(store, `code-${i}`, i)).toBe(true);
        }
        expect((await store.oauth.findRefreshToken('refresh-1'))?.revokedAt).toBe(T0);
        expect((await store.auth.findByTokenHash('access-1'))?.token.revokedAt).toBe(T0);
        expect((await store.oauth.findRefreshToken('refresh-2'))?.revokedAt).toBeNull();
        expect((await store.oauth.findRefreshToken('refresh-3'))?.revokedAt).toBeNull();
      });

      it('applies the refresh rate limit atomically across instances, and keeps the newest access tokens', async () => {
        const s = await seeded();
        const second = await open();
        await store.oauth.saveGrantCode(code(s, 'code-r'));
        await redeem(store, 'code-r', 0);
        const results = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            (i % 2 ? store : second).oauth.refreshAccessToken({
              refreshTokenHash: 'refresh-0',
              at: T0 + 1,
              accessTokenHash: `refreshed-${i}`,
              accessExpiresAt: T0 + 3_600_000,
              limits,
            }),
          ),
        );
        expect(results.filter((r) => r === 'issued')).toHaveLength(3);
        expect(results.filter((r) => r === 'rate-limited')).toHaveLength(5);
        // At most two live access tokens for the refresh token, whatever the interleaving.
        let live = 0;
        for (const h of ['access-0', ...results.map((_, i) => `refreshed-${i}`)]) {
          const g = await store.auth.findByTokenHash(h);
          if (g && g.token.revokedAt === null) live++;
        }
        expect(live).toBe(2);
        expect(await store.oauth.revokeRefreshToken('refresh-0', 'eu', T0 + 2)).toBe(true);
        expect(
          await store.oauth.refreshAccessToken({
            refreshTokenHash: 'refresh-0',
            at: T0 + 3,
            accessTokenHash: 'after-revoke',
            accessExpiresAt: T0 + 3_600_000,
            limits,
          }),
        ).toBe('revoked');
      });
    });
  });
}
