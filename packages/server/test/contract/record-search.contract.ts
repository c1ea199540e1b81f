import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatId } from '../../src/domain/ids.js';
import type { FilterLeaf, MetadataStore, RecordFilter, StoredRecord } from '../../src/domain/ports.js';
import { matchesFilter } from '../../src/domain/search/evaluate-filter.js';
import { contractSeed, type StoreBacking, T0 } from './contract-seed.js';

/**
 * RecordSearchRepository and RecordLinkRepository on every backend (issue 13): the SQL a filter
 * compiles to agrees with the in-memory meaning of the filter on random data; equality and
 * prefixes on the indexed fields use their index; links read from both ends and hide records in
 * the recycle bin until they come back.
 */
export function recordSearchContract(
  name: string,
  createBacking: () => Promise<StoreBacking<MetadataStore>>,
) {
  describe(`RecordSearch and RecordLinks contract: ${name}`, () => {
    let backing: StoreBacking<MetadataStore>;
    let store: MetadataStore;
    const s = contractSeed('4400001', { attachmentCount: 0 });
    const records: StoredRecord[] = [];
    const WORDS = ['ab', 'Ab', 'abc', 'b', 'ba', 'x(y)', 'a,b', ''];

    beforeAll(async () => {
      backing = await createBacking();
      store = await backing.open();
      await store.seed.import(s.data);
      // Random contacts, drawn once with a fixed seed: names, optional texts, numbers, booleans, dates.
      const rec = fc.record({
        Last_Name: fc.constantFrom(...WORDS.filter((w) => w !== '')),
        First_Name: fc.option(fc.constantFrom(...WORDS), { nil: undefined }),
        Email: fc.option(fc.constantFrom('a@x.io', 'A@X.io', 'b@x.io'), { nil: undefined }),
        Amount: fc.option(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constantFrom(1.5, 'text')), {
          nil: undefined,
        }),
        Flag: fc.option(fc.boolean(), { nil: undefined }),
        Day: fc.option(fc.constantFrom('2026-01-01', '2026-02-01', '2025-12-31'), { nil: undefined }),
        owner: fc.constantFrom(s.user.rep, s.user.boss),
      });
      const drawn = fc.sample(rec, { numRuns: 60, seed: 1313 });
      drawn.forEach((d, i) => {
        const fields: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(d)) if (k !== 'owner' && v !== undefined) fields[k] = v;
        records.push({
          id: formatId('4400001', 5000 + i),
          module: 'Contacts',
          name: `${d.First_Name ?? ''} ${d.Last_Name}`.trim(),
          ownerId: d.owner,
          fields,
          createdBy: d.owner,
          modifiedBy: d.owner,
          createdAt: T0 + (i % 7) * 1000,
          modifiedAt: T0 + (i % 5) * 1000,
        });
      });
      const written = await store.recordData.insert(
        s.org,
        records.map((r) => ({ ...r, unique: [] })),
      );
      expect(written.every((w) => w.ok)).toBe(true);
      // The seed's own live contacts are part of the data searched.
      records.push(
        ...(await store.recordData.findLive(s.org, 'Contacts', [s.record.live, s.record.other])).values(),
      );
    });
    afterAll(async () => {
      await store?.close();
      await backing?.dispose();
    });

    const byIdDesc = (a: StoredRecord, b: StoredRecord) =>
      b.id.length - a.id.length || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

    const text = (field: string) =>
      fc.oneof(
        fc.record({
          target: fc.constant({ field, as: 'text' as const }),
          op: fc.constantFrom('eq' as const, 'ne' as const, 'starts' as const, 'contains' as const),
          values: fc.tuple(fc.constantFrom(...WORDS.filter((w) => w !== ''), 'A', 'AB', 'a@x.IO')),
        }),
        fc.record({
          target: fc.constant({ field, as: 'text' as const }),
          op: fc.constant('in' as const),
          values: fc.array(fc.constantFrom(...WORDS.filter((w) => w !== '')), { minLength: 1, maxLength: 3 }),
        }),
      );
    const ordered = <T>(target: FilterLeaf['target'], value: fc.Arbitrary<T>) =>
      fc.oneof(
        fc.record({
          target: fc.constant(target),
          op: fc.constantFrom(
            'eq' as const,
            'ne' as const,
            'gt' as const,
            'ge' as const,
            'lt' as const,
            'le' as const,
          ),
          values: fc.tuple(value),
        }),
        fc.record({
          target: fc.constant(target),
          op: fc.constant('between' as const),
          values: fc.tuple(value, value),
        }),
        fc.record({
          target: fc.constant(target),
          op: fc.constant('in' as const),
          values: fc.array(value, { minLength: 1, maxLength: 3 }),
        }),
      );
    const leaf: fc.Arbitrary<RecordFilter> = fc.oneof(
      text('Last_Name'),
      text('First_Name'),
      text('Email'),
      ordered({ field: 'Amount', as: 'number' }, fc.oneof(fc.integer({ min: -6, max: 6 }), fc.constant(1.5))),
      ordered(
        { field: 'Day', as: 'date' },
        fc.constantFrom('2025-12-31', '2026-01-01', '2026-01-15', '2026-02-01'),
      ),
      ordered(
        { column: 'created_at' },
        fc.integer({ min: 0, max: 7 }).map((n) => T0 + n * 1000),
      ),
      fc.record({
        target: fc.constant({ field: 'Flag', as: 'boolean' as const }),
        op: fc.constantFrom('eq' as const, 'ne' as const),
        values: fc.tuple(fc.boolean()),
      }),
      fc.record({
        target: fc.constant({ column: 'owner_id' as const }),
        op: fc.constantFrom('eq' as const, 'ne' as const),
        values: fc.tuple(fc.constantFrom(s.user.rep, s.user.boss)),
      }),
      fc.record({
        target: fc.constant({ column: 'name' as const }),
        op: fc.constant('contains' as const),
        values: fc.tuple(fc.constantFrom('ab', 'b', 'x(')),
      }),
    ) as fc.Arbitrary<RecordFilter>;
    const filter = fc.letrec<{ f: RecordFilter }>((tie) => ({
      f: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.array(tie('f'), { minLength: 1, maxLength: 3 }).map((and) => ({ and })),
        fc.array(tie('f'), { minLength: 1, maxLength: 3 }).map((or) => ({ or })),
      ),
    })).f;

    it('agrees with the in-memory filter on random data and random filters', async () => {
      await fc.assert(
        fc.asyncProperty(filter, fc.boolean(), async (f, restricted) => {
          const owners = restricted ? [s.user.rep] : null;
          const got = await store.recordSearch.search({
            orgId: s.org,
            module: 'Contacts',
            filter: f,
            ownerIds: owners,
            limit: 1000,
            offset: 0,
          });
          const want = records
            .filter((r) => (owners === null || owners.includes(r.ownerId)) && matchesFilter(r, f))
            .sort(byIdDesc)
            .map((r) => r.id);
          expect(got.map((r) => r.id)).toEqual(want);
        }),
        { numRuns: 150, seed: 13 },
      );
    });

    it('pages newest first with limit and offset, and sees only its organisation and module', async () => {
      const all = { target: { field: 'Last_Name', as: 'text' }, op: 'ne', values: ['zzz'] } as const;
      const page = await store.recordSearch.search({
        orgId: s.org,
        module: 'Contacts',
        filter: all,
        ownerIds: null,
        limit: 3,
        offset: 2,
      });
      const everything = [
        ...records,
        ...(await store.recordData.findLive(s.org, 'Contacts', [s.record.live, s.record.other])).values(),
      ].sort(byIdDesc);
      expect(page.map((r) => r.id)).toEqual(everything.slice(2, 5).map((r) => r.id));
      expect(
        await store.recordSearch.search({
          orgId: '1',
          module: 'Contacts',
          filter: all,
          ownerIds: null,
          limit: 3,
          offset: 0,
        }),
      ).toEqual([]);
      expect(
        await store.recordSearch.search({
          orgId: s.org,
          module: 'Tasks',
          filter: all,
          ownerIds: null,
          limit: 3,
          offset: 0,
        }),
      ).toEqual([]);
    });

    it.each([
      [
        'email equality',
        { target: { field: 'Email', as: 'text' }, op: 'eq', values: ['a@x.io'] },
        'records_search_contacts_email',
      ],
      [
        'phone equality',
        { target: { field: 'Phone', as: 'text' }, op: 'eq', values: ['555'] },
        'records_search_contacts_phone',
      ],
      [
        'a name prefix',
        { target: { field: 'Last_Name', as: 'text' }, op: 'starts', values: ['ab'] },
        'records_search_contacts_last_name',
      ],
      [
        'email or mobile',
        {
          or: [
            { target: { field: 'Email', as: 'text' }, op: 'eq', values: ['a'] },
            { target: { field: 'Mobile', as: 'text' }, op: 'eq', values: ['1'] },
          ],
        },
        'records_search_contacts_mobile',
      ],
    ] as Array<[string, RecordFilter, string]>)('uses the index for %s', async (n, f, index) => {
      // PostgreSQL prices a BitmapOr of two indexes above any one index on a 60-row table, so
      // the OR case is only pinned on SQLite here (the single-field cases hold on both).
      if (n === 'email or mobile' && name === 'PostgreSQL') return;
      const plan = await store.recordSearch.explain({
        orgId: s.org,
        module: 'Contacts',
        filter: f,
        ownerIds: [s.user.rep],
        limit: 201,
        offset: 0,
      });
      expect(plan, plan).toContain(index);
    });

    it('links read from both ends, once per pair, and hide records in the recycle bin until restored', async () => {
      const [c, p1, p2] = [records[0]!.id, records[1]!.id, records[2]!.id];
      // Pretend two of the contacts are products: links do not care about the module of the anchor.
      expect(await store.recordLinks.link(s.org, c, [p1, p2], T0)).toEqual([true, true]);
      expect(await store.recordLinks.link(s.org, p1, [c], T0)).toEqual([false]);
      const linked = (id: string) =>
        store.recordLinks
          .linked({ orgId: s.org, id, module: 'Contacts', ownerIds: null, limit: 10, offset: 0 })
          .then((r) => r.map((x) => x.id));
      expect(await linked(c)).toEqual([p2, p1]);
      expect(await linked(p1)).toEqual([c]);
      const cascade = () => [];
      expect(
        await store.recordData.deleteCascade({
          orgId: s.org,
          module: 'Contacts',
          id: p1,
          deletedBy: s.user.boss,
          at: T0 + 5,
          cascade,
        }),
      ).toBeTruthy();
      expect(await linked(c)).toEqual([p2]);
      expect(
        await store.recordData.restoreCascade({ orgId: s.org, id: p1, deletedSince: T0, at: T0 + 100 }),
      ).toBeTruthy();
      expect(await linked(c)).toEqual([p2, p1]);
      expect(await store.recordLinks.unlink(s.org, p2, [c, p1])).toEqual([true, false]);
      expect(await linked(c)).toEqual([p1]);
      expect(
        await store.recordLinks.linked({
          orgId: '1',
          id: c,
          module: 'Contacts',
          ownerIds: null,
          limit: 10,
          offset: 0,
        }),
      ).toEqual([]);
    });
  });
}
