import { describe, expect, it } from 'vitest';
import { tagBatchCost } from '../credits/credit-policy.js';
import { MAX_TAG_NAME, tagNameProblem } from './tag-rules.js';

describe('tag names', () => {
  it.each([
    ['Hot', null],
    [' Hot ', null],
    ['x'.repeat(MAX_TAG_NAME), null],
    ['x'.repeat(MAX_TAG_NAME + 1), 'too long'],
    ['', 'missing'],
    ['   ', 'missing'],
    [undefined, 'missing'],
    [null, 'missing'],
    [7, 'invalid'],
    ['a,b', 'invalid'],
    ['nul\u0000', 'invalid'],
    ['lone \ud800', 'invalid'],
  ])('%j → %s', (name, problem) => {
    expect(tagNameProblem(name)).toBe(problem);
  });
});

describe('credits of a tag batch', () => {
  it('costs 1 per 50 records, at least 1, at most 10', () => {
    expect([1, 50, 51, 100, 120, 450, 451, 500, 501].map(tagBatchCost)).toEqual([
      1, 1, 2, 2, 3, 9, 10, 10, 10,
    ]);
  });
});
