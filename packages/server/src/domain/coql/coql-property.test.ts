import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NO_CUSTOMIZATION } from '../metadata/field-model.js';
import type { StoredRecord } from '../ports.js';
import { compareForOrder, matchesFilter } from '../search/evaluate-filter.js';
import { compileCoql } from './coql-filter.js';
import { parseCoql } from './coql-parser.js';

/**
 * Random COQL over random Pipelines records: what the parser and compiler make of a query (the
 * search filter and order, run by the in-memory evaluator the SQL backends are tested against)
 * agrees with a plain reading of the query written here from Bigin's comparator table.
 */

const WORDS = ['ab', 'Ab', 'abc', 'b', 'ba', "o'k", '50%'];
const STAGES = ['Qualification', 'Closed Won', 'closed lost'];
const DAYS = ['2025-12-31', '2026-01-01', '2026-02-01'];
const CONTACTS = ['111', '222'];

interface Row {
  id: string;
  Deal_Name?: string;
  Stage?: string;
  Amount?: number;
  Closing_Date?: string;
  Contact?: string;
}

const row = fc.record(
  {
    Deal_Name: fc.constantFrom(...WORDS),
    Stage: fc.constantFrom(...STAGES),
    Amount: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constant(1.5)),
    Closing_Date: fc.constantFrom(...DAYS),
    Contact: fc.constantFrom(...CONTACTS),
  },
  { requiredKeys: [] },
);

const stored = (r: Row): StoredRecord => ({
  id: r.id,
  module: 'Pipelines',
  name: r.Deal_Name ?? '',
  ownerId: '1',
  createdBy: '1',
  modifiedBy: '1',
  createdAt: 0,
  modifiedAt: 0,
  fields: {
    ...(r.Deal_Name !== undefined ? { Deal_Name: r.Deal_Name } : {}),
    ...(r.Stage !== undefined ? { Stage: r.Stage } : {}),
    ...(r.Amount !== undefined ? { Amount: r.Amount } : {}),
    ...(r.Closing_Date !== undefined ? { Closing_Date: r.Closing_Date } : {}),
    ...(r.Contact !== undefined ? { Contact_Name: { id: r.Contact, name: 'x' } } : {}),
  },
});

/** A criterion as COQL text and as a plain predicate. */
interface Crit {
  text: string;
  test: (r: Row) => boolean;
}

const quote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/%/g, '\\%')}'`;
const fold = (s: string | undefined) => s?.toLowerCase();

const textCrit = (field: 'Deal_Name' | 'Stage', values: readonly string[]): fc.Arbitrary<Crit> => {
  const get = (r: Row) => fold(r[field]);
  const v = fc.constantFrom(...values, 'A', 'AB', 'CLOSED');
  return fc.oneof(
    v.map((x) => ({ text: `${field} = ${quote(x)}`, test: (r: Row) => get(r) === fold(x) })),
    v.map((x) => ({ text: `${field} != ${quote(x)}`, test: (r: Row) => get(r) !== fold(x) })),
    v.map((x) => ({
      text: `${field} like '${quote(x).slice(1, -1)}%'`,
      test: (r: Row) => get(r)?.startsWith(fold(x)!) === true,
    })),
    v.map((x) => ({
      text: `${field} like '%${quote(x).slice(1)}`,
      test: (r: Row) => get(r)?.endsWith(fold(x)!) === true,
    })),
    v.map((x) => ({
      text: `${field} like '%${quote(x).slice(1, -1)}%'`,
      test: (r: Row) => get(r)?.includes(fold(x)!) === true,
    })),
    v.map((x) => ({
      text: `${field} not like '%${quote(x).slice(1, -1)}%'`,
      test: (r: Row) => get(r)?.includes(fold(x)!) !== true,
    })),
    fc.array(v, { minLength: 1, maxLength: 3 }).map((xs) => ({
      text: `${field} in (${xs.map(quote).join(', ')})`,
      test: (r: Row) => xs.some((x) => get(r) === fold(x)),
    })),
    fc.array(v, { minLength: 1, maxLength: 3 }).map((xs) => ({
      text: `${field} not in (${xs.map(quote).join(', ')})`,
      test: (r: Row) => !xs.some((x) => get(r) === fold(x)),
    })),
    fc.constant({ text: `${field} is null`, test: (r: Row) => r[field] === undefined }),
    fc.constant({ text: `${field} is not null`, test: (r: Row) => r[field] !== undefined }),
  );
};

const orderedCrit = <T extends number | string>(
  field: 'Amount' | 'Closing_Date',
  value: fc.Arbitrary<T>,
  write: (x: T) => string,
): fc.Arbitrary<Crit> => {
  const get = (r: Row) => r[field] as T | undefined;
  const cmp = (op: string, f: (a: T, b: T) => boolean) =>
    value.map((x) => ({
      text: `${field} ${op} ${write(x)}`,
      test: (r: Row) => get(r) !== undefined && f(get(r)!, x),
    }));
  const between = (a: T, b: T) => (r: Row) => get(r) !== undefined && get(r)! >= a && get(r)! <= b;
  return fc.oneof(
    cmp('=', (a, b) => a === b),
    value.map((x) => ({ text: `${field} != ${write(x)}`, test: (r: Row) => get(r) !== x })),
    cmp('>', (a, b) => a > b),
    cmp('>=', (a, b) => a >= b),
    cmp('<', (a, b) => a < b),
    cmp('<=', (a, b) => a <= b),
    fc
      .tuple(value, value)
      .map(([a, b]) => ({ text: `${field} between ${write(a)} and ${write(b)}`, test: between(a, b) })),
    fc.tuple(value, value).map(([a, b]) => ({
      text: `${field} not between ${write(a)} and ${write(b)}`,
      test: (r: Row) => !between(a, b)(r),
    })),
    fc.array(value, { minLength: 1, maxLength: 3 }).map((xs) => ({
      text: `${field} in (${xs.map(write).join(', ')})`,
      test: (r: Row) => xs.includes(get(r) as T),
    })),
    fc.array(value, { minLength: 1, maxLength: 3 }).map((xs) => ({
      text: `${field} not in (${xs.map(write).join(', ')})`,
      test: (r: Row) => !xs.includes(get(r) as T),
    })),
    fc.constant({ text: `${field} is null`, test: (r: Row) => r[field] === undefined }),
  );
};

const leaf: fc.Arbitrary<Crit> = fc.oneof(
  textCrit('Deal_Name', WORDS),
  textCrit('Stage', STAGES),
  orderedCrit('Amount', fc.oneof(fc.integer({ min: -4, max: 4 }), fc.constant(1.5)), String),
  orderedCrit('Closing_Date', fc.constantFrom(...DAYS, '2026-01-15'), (d) => `'${d}'`),
  fc
    .constantFrom(...CONTACTS, '333')
    .map((c) => ({ text: `Contact_Name = ${c}`, test: (r: Row) => r.Contact === c })),
  fc
    .constantFrom(...CONTACTS)
    .map((c) => ({ text: `Contact_Name != '${c}'`, test: (r: Row) => r.Contact !== c })),
);

// Two criteria a level, bracketed, as Bigin requires.
const condition: fc.Arbitrary<Crit> = fc.letrec<{ c: Crit }>((tie) => ({
  c: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.tuple(tie('c'), fc.constantFrom('and', 'or'), tie('c')).map(([a, op, b]) => ({
      text: `(${a.text} ${op} ${b.text})`,
      test: (r: Row) => (op === 'and' ? a.test(r) && b.test(r) : a.test(r) || b.test(r)),
    })),
  ),
})).c;

const ORDER_FIELDS = ['id', 'Deal_Name', 'Amount', 'Closing_Date'] as const;

/** The documented order: by the field (text folded), missing values first ascending, ties by id. */
function plainOrder(field: (typeof ORDER_FIELDS)[number], desc: boolean) {
  const key = (r: Row) => (field === 'id' ? undefined : field === 'Deal_Name' ? fold(r.Deal_Name) : r[field]);
  const byId = (a: Row, b: Row) => a.id.length - b.id.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return (a: Row, b: Row) => {
    if (field === 'id') return desc ? byId(b, a) : byId(a, b);
    const x = key(a);
    const y = key(b);
    let c = x === undefined ? (y === undefined ? 0 : -1) : y === undefined ? 1 : x < y ? -1 : x > y ? 1 : 0;
    if (desc) c = -c;
    return c || byId(a, b);
  };
}

describe('COQL agrees with a plain reading of the query on random data', () => {
  it('where, order by, limit and offset', () => {
    fc.assert(
      fc.property(
        fc.array(row, { minLength: 0, maxLength: 25 }),
        fc.option(condition, { nil: undefined }),
        fc.constantFrom(...ORDER_FIELDS),
        fc.boolean(),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 10 }),
        (drawn, where, orderField, desc, limit, offset) => {
          // Ids of two lengths in shuffled order, so that id order is numeric, not textual.
          const rows: Row[] = drawn.map((r, i) => ({
            ...r,
            id: String((i % 2 ? 10 : 100) + ((i * 37) % 25)),
          }));
          const text = `select Deal_Name from Pipelines${where ? ` where ${where.text}` : ''} order by ${orderField} ${desc ? 'desc' : 'asc'} limit ${limit} offset ${offset}`;
          const compiled = compileCoql(parseCoql(text), 'Pipelines', NO_CUSTOMIZATION);
          const records = new Map(rows.map((r) => [r.id, stored(r)]));
          const got = [...records.values()]
            .filter((r) => matchesFilter(r, compiled.filter))
            .sort((a, b) => compareForOrder(compiled.order, a, b))
            .slice(compiled.offset, compiled.offset + compiled.limit)
            .map((r) => r.id);
          const want = rows
            .filter((r) => where === undefined || where.test(r))
            .sort(plainOrder(orderField, desc))
            .slice(offset, offset + limit)
            .map((r) => r.id);
          expect(got, text).toEqual(want);
        },
      ),
      { numRuns: 400, seed: 2107 },
    );
  });
});
