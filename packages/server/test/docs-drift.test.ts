import { readFileSync } from 'node:fs';
import { FAILURES } from '@bigin-attachments/contract';
import { describe, expect, it } from 'vitest';
import { SETTINGS } from '../src/config/schema.js';

const root = new URL('../../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

describe('docs stay in step with the code', () => {
  it('docs/errors.md lists every failure with its status, code and message, and nothing else', () => {
    const rows = read('docs/errors.md')
      .split('\n')
      .filter((l) => /^\|\s*[A-Z_]+\s*\|\s*\d{3}\s*\|/.test(l))
      .map((l) => l.split('|').map((c) => c.trim()))
      .map(([, failure, status, code, message]) => ({ failure, status: Number(status), code, message }));
    const expected = Object.entries(FAILURES).map(([failure, f]) => ({
      failure,
      status: f.status,
      code: f.code,
      message: f.message,
    }));
    expect(rows.sort((a, b) => a.failure!.localeCompare(b.failure!))).toEqual(
      expected.sort((a, b) => a.failure.localeCompare(b.failure)),
    );
  });

  it('docs/configuration.md lists every setting and only those', () => {
    const documented = [...read('docs/configuration.md').matchAll(/^\|\s*`([A-Z_0-9]+)`\s*\|/gm)].map(
      (m) => m[1],
    );
    expect(documented.sort()).toEqual(Object.keys(SETTINGS).sort());
  });
});
