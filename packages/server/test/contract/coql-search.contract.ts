import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatId } from '../../src/domain/ids.js';
import type {
  FilterLeaf,
  MetadataStore,
  RecordFilter,
  RecordOrder,
  StoredRecord,
} from '../../src/domain/ports.js';
import { compareForOrder, matchesFilter } from '../../src/domain/search/evaluate-filter.js';
import { contractSeed, type StoreBacking, T0 } from './contract-seed.js';

/**
 * What COQL adds to RecordSearchRepository (docs/coql.md), on every backend: negation, suffixes,
 * "no value", the id column and an order by any target. The SQL agrees with the in-memory
 * meaning (evaluate-filter.ts) on random data, order and pages included.
 */
export function coqlSearchContract(name: string, createBacking: () => Promise<StoreBacking<MetadataStore>>) {
  describe(`RecordSearch with COQL's filters and orders: ${name}`, () => {
    let backing: StoreBacking<MetadataStore>;
    let store: MetadataStore;
    const s = contractSeed('4400002', { attachmentCount: 0 });
    const records: StoredRecord[] = [];
    const WORDS = ['ab', 'Ab', 'abc', 'b', 'ba', 'cab', ''];

    beforeAll(async () => {
      backing = await createBacking();
      store = await backing.open();
      await store.seed.import(s.data);
      const rec = fc.record({
        Deal_Name: fc.constantFrom(...WORDS.filter((w) => w !== '')),
        Stage: fc.option(fc.constantFrom(...WORDS), { nil: undefined }),
        Amount: fc.option(fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(1.5, 'text')), {
          nil: undefined,
        }),
        Flag: fc.option(fc.boolean(), { nil: undefined }),
        Closing_Date: fc.option(fc.constantFrom('2026-01-01', '2026-02-01', '2025-12-31'), {
          nil: undefined,
        }),
        Contact: fc.option(fc.constantFrom('111', '222'), { nil: undefined }),
        owner: fc.constantFrom(s.user.rep, s.user.boss),
      });
      fc.sample(rec, { numRuns: 50, seed: 2121 }).forEach((d, i) => {
        const fields: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(d))
          if (k === 'Contact') {
            if (v !== undefined) fields.Contact_Name = { id: v, name: 'c' };
          } else if (k !== 'owner' && v !== undefined) fields[k] = v;
        // Ids of two lengths, so that id order is numeric rather than textual.
        const seq = i % 3 === 0 ? 7000 + i : 70000 + i;
        records.push({
          id: formatId('4400002', seq),
          module: 'Pipelines',
          name: d.Deal_Name,
          ownerId: d.owner,
          fields,
          createdBy: d.owner,
          modifiedBy: d.owner,
          createdAt: T0 + (i % 4) * 1000,
          modifiedAt: T0,
        });
      });
      const written = await store.recordData.insert(
        s.org,
        records.map((r) => ({ ...r, unique: [] })),
      );
      expect(written.every((w) => w.ok)).toBe(true);
      // The seed's own live pipeline is part of the data searched.
      records.push(...(await store.recordData.findLive(s.org, 'Pipelines', [s.record.other])).values());
    });
    afterAll(async () => {
      await store?.close();
      await backing?.dispose();
    });

    const word = fc.constantFrom(...WORDS.filter((w) => w !== ''), 'A', 'AB');
    const textLeaf = (field: string) =>
      fc.record({
        target: fc.constant({ field, as: 'text' as const }),
        op: fc.constantFrom(
          'eq' as const,
          'ne' as const,
          'starts' as const,
          'ends' as const,
          'contains' as const,
        ),
        values: fc.tuple(word),
      });
    const nullLeaf = (target: FilterLeaf['target']) =>
      fc.constant({ target, op: 'null' as const, values: [] as string[] });
    const leaf: fc.Arbitrary<RecordFilter> = fc.oneof(
      textLeaf('Deal_Name'),
      textLeaf('Stage'),
      nullLeaf({ field: 'Stage', as: 'text' }),
      nullLeaf({ field: 'Amount', as: 'number' }),
      nullLeaf({ field: 'Flag', as: 'boolean' }),
      nullLeaf({ field: 'Closing_Date', as: 'date' }),
      nullLeaf({ field: 'Contact_Name', as: 'lookup' }),
      nullLeaf({ column: 'id' }),
      fc
        .record({
          target: fc.constant({ field: 'Amount', as: 'number' as const }),
          op: fc.constantFrom('eq' as const, 'gt' as const, 'le' as const, 'in' as const),
          values: fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 1, maxLength: 2 }),
        })
        .map((l) => (l.op === 'in' ? l : { ...l, values: l.values.slice(0, 1) })),
      fc.record({
        target: fc.constant({ field: 'Contact_Name', as: 'lookup' as const }),
        op: fc.constantFrom('eq' as const, 'ne' as const, 'in' as const),
        values: fc.tuple(fc.constantFrom('111', '222')),
      }),
      fc.record({
        target: fc.constant({ column: 'id' as const }),
        op: fc.constantFrom('eq' as const, 'ne' as const, 'in' as const),
        values: fc.tuple(fc.constantFrom(formatId('4400002', 7000), formatId('4400002', 70001))),
      }),
    ) as fc.Arbitrary<RecordFilter>;
    const filter = fc.letrec<{ f: RecordFilter }>((tie) => ({
      f: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        tie('f').map((f) => ({ not: f })),
        fc.array(tie('f'), { minLength: 1, maxLength: 2 }).map((and) => ({ and })),
        fc.array(tie('f'), { minLength: 1, maxLength: 2 }).map((or) => ({ or })),
      ),
    })).f;
    const order: fc.Arbitrary<RecordOrder> = fc.record({
      by: fc.constantFrom<FilterLeaf['target']>(
        { column: 'id' },
        { column: 'created_at' },
        { column: 'name' },
        { field: 'Deal_Name', as: 'text' },
        { field: 'Stage', as: 'text' },
        { field: 'Amount', as: 'number' },
        { field: 'Flag', as: 'boolean' },
        { field: 'Closing_Date', as: 'date' },
        { field: 'Contact_Name', as: 'lookup' },
      ),
      desc: fc.boolean(),
    });

    it('agrees with the in-memory filter and order on random data, pages included', async () => {
      await fc.assert(
        fc.asyncProperty(
          filter,
          order,
          fc.boolean(),
          fc.integer({ min: 0, max: 10 }),
          async (f, o, restricted, offset) => {
            const owners = restricted ? [s.user.rep] : null;
            const got = await store.recordSearch.search({
              orgId: s.org,
              module: 'Pipelines',
              filter: f,
              order: o,
              ownerIds: owners,
              limit: 20,
              offset,
            });
            const want = records
              .filter((r) => (owners === null || owners.includes(r.ownerId)) && matchesFilter(r, f))
              .sort((a, b) => compareForOrder(o, a, b))
              .slice(offset, offset + 20)
              .map((r) => r.id);
            expect(got.map((r) => r.id)).toEqual(want);
          },
        ),
        { numRuns: 150, seed: 21 },
      );
    });

    it("keeps COQL's default order (id ascending) on the search index of an equality", async () => {
      const plan = await store.recordSearch.explain({
        orgId: s.org,
        module: 'Pipelines',
        filter: { target: { field: 'Deal_Name', as: 'text' }, op: 'eq', values: ['ab'] },
        order: { by: { column: 'id' }, desc: false },
        ownerIds: null,
        limit: 201,
        offset: 0,
      });
      expect(plan, plan).toContain('records_search_pipelines_deal_name');
    });
  });
}
