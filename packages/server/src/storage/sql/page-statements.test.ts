import { describe, expect, it } from 'vitest';
import type { Query, SqlDialect } from './dialect.js';
import { pageStatements } from './page-statements.js';

/** Only `prepareDynamic` is used (the texts are built while serving): it records each text prepared. */
function dialect() {
  const prepared: string[] = [];
  const d = {
    prepareDynamic: (text: string): Query => {
      prepared.push(text);
      return { text } as Query;
    },
  } as unknown as SqlDialect;
  return { d, prepared };
}

describe('pageStatements', () => {
  it('writes the page into the text, once per shape while it is kept', () => {
    const { d, prepared } = dialect();
    const page = pageStatements(
      d,
      (limit, offset) => `LIMIT ${limit}${offset === null ? '' : ` OFFSET ${offset}`}`,
    );
    expect(page(11, 0).text).toBe('LIMIT 11 OFFSET 0');
    expect(page(11, 0)).toBe(page(11, 0));
    expect(page(5).text).toBe('LIMIT 5');
    expect(prepared).toEqual(['LIMIT 11 OFFSET 0', 'LIMIT 5']);
  });

  it('keeps the sixteen most recently used shapes', () => {
    const { d, prepared } = dialect();
    const page = pageStatements(d, (limit, offset) => `LIMIT ${limit} OFFSET ${offset}`);
    for (let i = 0; i < 16; i++) page(10, i * 10);
    page(10, 0); // used again: now the most recent
    page(10, 160); // a seventeenth shape evicts the least recent, offset 10
    expect(prepared).toHaveLength(17);
    page(10, 0);
    expect(prepared).toHaveLength(17);
    page(10, 10);
    expect(prepared).toHaveLength(18);
  });

  it('refuses a page that is not integers, so nothing else reaches the text', () => {
    const { d } = dialect();
    const page = pageStatements(d, (limit, offset) => `LIMIT ${limit} OFFSET ${offset}`);
    expect(() => page(1.5, 0)).toThrow();
    expect(() => page(10, Number.NaN)).toThrow();
  });
});
