import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CriteriaNode, CriteriaSyntaxError, parseCriteria, printCriteria } from './criteria.js';

const leaf = (field: string, operator: string, ...values: string[]): CriteriaNode => ({
  kind: 'criterion',
  field,
  operator,
  values,
  at: expect.any(Number) as unknown as number,
});

describe('criteria grammar', () => {
  it.each<[string, CriteriaNode]>([
    ['(Last_Name:equals:Burns)', leaf('Last_Name', 'equals', 'Burns')],
    [
      '((Last_Name:equals:Burns)and(First_Name:starts_with:M))',
      {
        kind: 'and',
        children: [leaf('Last_Name', 'equals', 'Burns'), leaf('First_Name', 'starts_with', 'M')],
      },
    ],
    [
      '((Email:equals:a@x.io)or(Email:equals:b@x.io))',
      { kind: 'or', children: [leaf('Email', 'equals', 'a@x.io'), leaf('Email', 'equals', 'b@x.io')] },
    ],
    ['(Last_Name:equals:Burns\\,B)', leaf('Last_Name', 'equals', 'Burns,B')],
    ['(Last_Name:equals:K\\\\)', leaf('Last_Name', 'equals', 'K\\')],
    ['(Last_Name:equals:a\\(b\\))', leaf('Last_Name', 'equals', 'a(b)')],
    ['(Amount:between:1,5)', leaf('Amount', 'between', '1', '5')],
    ['(Email:in:a,b,c)', leaf('Email', 'in', 'a', 'b', 'c')],
    [
      '(Modified_Time:greater_equal:2023-04-19T05:58:06+05:30)',
      leaf('Modified_Time', 'greater_equal', '2023-04-19T05:58:06+05:30'),
    ],
    [
      '(A:equals:x) AND (B:equals:y)',
      { kind: 'and', children: [leaf('A', 'equals', 'x'), leaf('B', 'equals', 'y')] },
    ],
    [
      '((A:equals:x)and((B:equals:y)or(C:equals:z)))',
      {
        kind: 'and',
        children: [
          leaf('A', 'equals', 'x'),
          { kind: 'or', children: [leaf('B', 'equals', 'y'), leaf('C', 'equals', 'z')] },
        ],
      },
    ],
    ['(Name:equals:and or)', leaf('Name', 'equals', 'and or')],
  ])('parses %s', (input, tree) => {
    expect(parseCriteria(input)).toEqual(tree);
  });

  it.each<[string, number]>([
    ['', 0],
    ['Last_Name:equals:x', 0],
    ['(Last_Name:equals:x', 19],
    ['(Last_Name:equals:x))', 20],
    ['(Last_Name equals x)', 10],
    ['(Last_Name::x)', 11],
    ['(Last_Name:equals:)', 18],
    ['(Last_Name:equals:a,)', 18],
    ['(Last_Name:equals:a(b))', 19],
    ['(Last_Name:equals:a\\', 19],
    ['((A:equals:x)and(B:equals:y)or(C:equals:z))', 30],
    ['((A:equals:x)xor(B:equals:y))', 13],
    ['()', 1],
  ])('refuses %j at position %i', (input, position) => {
    try {
      parseCriteria(input);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CriteriaSyntaxError);
      expect((error as CriteriaSyntaxError).position).toBe(position);
    }
  });

  it('refuses more than 10 criteria', () => {
    const n = (k: number) => `(${Array.from({ length: k }, (_, i) => `(F:equals:${i})`).join('or')})`;
    expect(() => parseCriteria(n(10))).not.toThrow();
    expect(() => parseCriteria(n(11))).toThrow(/more than 10 criteria/);
  });

  it('reads back what it prints, whatever the values hold', () => {
    const value = fc.string({
      minLength: 1,
      maxLength: 6,
      unit: fc.constantFrom('a', 'B', ' ', '(', ')', ',', '\\', ':', '+'),
    });
    const criterion = fc.record({
      kind: fc.constant('criterion' as const),
      field: fc.constantFrom('Email', 'Last_Name', 'Amount'),
      operator: fc.constantFrom('equals', 'in', 'starts_with'),
      values: fc.array(value, { minLength: 1, maxLength: 3 }),
      at: fc.constant(0),
    });
    const tree = fc.letrec<{ t: CriteriaNode }>((tie) => ({
      t: fc.oneof(
        { depthSize: 'small' },
        criterion,
        fc.record({
          kind: fc.constantFrom('and' as const, 'or' as const),
          children: fc.array(tie('t'), { minLength: 2, maxLength: 3 }),
        }),
      ),
    })).t;
    const strip = (n: CriteriaNode): unknown =>
      n.kind === 'criterion' ? { ...n, at: 0 } : { kind: n.kind, children: n.children.map(strip) };
    fc.assert(
      fc.property(tree, (t) => {
        const count = (n: CriteriaNode): number =>
          n.kind === 'criterion' ? 1 : n.children.reduce((s, c) => s + count(c), 0);
        fc.pre(count(t) <= 10);
        // A nested group of the same connector prints the same as a flat one; compare re-printed.
        expect(printCriteria(parseCriteria(printCriteria(t)))).toBe(printCriteria(t));
        expect(strip(parseCriteria(printCriteria(t)))).toEqual(
          strip(parseCriteria(printCriteria(parseCriteria(printCriteria(t))))),
        );
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});
