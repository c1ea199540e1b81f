import { describe, expect, it } from 'vitest';
import { bool, clientText, int, json, reader, table, text, textOrNull } from './columns.js';
import type { RowDecoder } from './dialect.js';

// A decoder unlike SQLite's and PostgreSQL's, so that a codec skipped or misapplied shows.
const DECODER: RowDecoder = {
  readBool: (v) => v === 'yes',
  readJson: <T>(v: unknown) => JSON.parse(String(v)) as T,
  readText: (v) => `text:${String(v)}`,
};

const T = table('things', {
  id: ['id', text],
  label: ['label', clientText],
  note: ['note', textOrNull],
  count: ['n', int],
  flag: ['is_flag', bool],
  data: ['data', json<{ a: number }>()],
  // A property and column name that must be quoted in the compiled mapper.
  "it's": ['odd "name"', text],
});

describe('reader', () => {
  it('maps each column through its codec, into keys in the order given', () => {
    const read = reader(DECODER, T, ['data', 'id', 'flag', 'label', 'note', 'count', "it's"]);
    const row = { id: '7', label: 'x', note: null, n: 3, is_flag: 'yes', data: '{"a":1}', 'odd "name"': 'q' };
    const out = read(row);
    expect(out).toEqual({
      data: { a: 1 },
      id: '7',
      flag: true,
      label: 'text:x',
      note: null,
      count: 3,
      "it's": 'q',
    });
    expect(Object.keys(out)).toEqual(['data', 'id', 'flag', 'label', 'note', 'count', "it's"]);
  });

  it('reads only the properties asked for, and a fresh object per row', () => {
    const read = reader(DECODER, T, ['id']);
    const a = read({ id: '1', label: 'ignored' });
    const b = read({ id: '2' });
    expect(a).toEqual({ id: '1' });
    expect(b).toEqual({ id: '2' });
    expect(a).not.toBe(b);
  });
});
