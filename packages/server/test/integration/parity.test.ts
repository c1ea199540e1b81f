import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAILURES } from '@bigin-attachments/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderParityMarkdown } from '../../src/domain/parity/endpoint-answers.js';
import { ADMIN_KEY, admin } from '../support/admin.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

interface Ledger {
  endpoints: Array<{
    method: string;
    path: string;
    answers: Array<{
      status: number;
      code: string | null;
      failure: string | null;
      answer: string;
      provenance: { documented: string | null; decision: string | null; recorded: string | null };
    }>;
  }>;
}

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ settings: { ADMIN_KEY } });
});
afterAll(() => t?.close());

describe('GET /_admin/parity', () => {
  it('lists every failure of the error table, and no failure or code that is not in it', async () => {
    const { status, json } = await admin<Ledger>(t.url, 'GET', '/parity');
    expect(status).toBe(200);
    const errors = json.endpoints.flatMap((e) => e.answers.filter((a) => a.failure !== null));
    expect([...new Set(errors.map((a) => a.failure))].sort()).toEqual(Object.keys(FAILURES).sort());
    const codes = new Set<string>(Object.values(FAILURES).map((f) => f.code));
    for (const a of errors) {
      const failure = FAILURES[a.failure as keyof typeof FAILURES];
      expect({ status: a.status, code: a.code, answer: a.answer }).toEqual({
        status: failure.status,
        code: failure.code,
        answer: failure.message,
      });
      expect(codes.has(a.code!)).toBe(true);
    }
  });

  it('gives every answer a provenance', async () => {
    const { json } = await admin<Ledger>(t.url, 'GET', '/parity');
    for (const e of json.endpoints)
      for (const a of e.answers) {
        const p = a.provenance;
        expect(p.documented ?? p.decision ?? p.recorded, `${e.method} ${e.path} ${a.status}`).toBeTruthy();
      }
  });

  it('docs/parity.md carries the generated table', () => {
    const doc = readFileSync(join(import.meta.dirname, '../../../../docs/parity.md'), 'utf8');
    const start = doc.indexOf('-->\n') + 4;
    const end = doc.indexOf('<!-- end generated -->');
    expect(doc.slice(start, end)).toBe(renderParityMarkdown());
  });
});
