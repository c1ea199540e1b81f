import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blobKeyFor } from '../../src/domain/blob-keys.js';
import { fixtureJsonSchema } from '../../src/fixtures/fixture-json-schema.js';
import { FixtureError, parseFixture } from '../../src/fixtures/load-fixture.js';
import { call, deleteSuccess, ERR } from '../support/bigin.js';
import { startTestServer } from '../support/test-server.js';

const repo = new URL('../../../../', import.meta.url);
const example = JSON.parse(readFileSync(new URL('examples/fixture.json', repo), 'utf8'));

describe('fixture files', () => {
  it('committed JSON Schema matches the schema in the code', () => {
    const committed = JSON.parse(readFileSync(new URL('packages/server/fixture.schema.json', repo), 'utf8'));
    expect(committed).toEqual(fixtureJsonSchema());
  });

  it('the example fixture loads, and its token deletes the spec sample attachment', async () => {
    const t = await startTestServer({ fixture: example });
    try {
      const token = example.organizations[0].tokens[0].token as string;
      const res = await call(
        t.url,
        'DELETE',
        '/bigin/v2/Pipelines/2034020000000489124/Attachments/2034020000000711008',
        token,
      );
      expect(res.json).toEqual(deleteSuccess('2034020000000711008'));
      // The READ-only token of the same organisation may not delete.
      const read = example.organizations[0].tokens[1].token as string;
      const refused = await call(
        t.url,
        'DELETE',
        '/bigin/v2/Pipelines/2034020000000489124/Attachments/2034020000000711009',
        read,
      );
      expect(refused.json).toEqual(ERR.scopeMismatch);
      // Link attachments are deletable too.
      const link = await call(
        t.url,
        'DELETE',
        '/bigin/v2/Contacts/2034020000000489200/Attachments/2034020000000711010',
        token,
      );
      expect(link.json).toEqual(deleteSuccess('2034020000000711010'));
    } finally {
      await t.close();
    }
  });

  it('reads file contents relative to the fixture file and stores them under a server-made key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bigin-fixture-'));
    try {
      await writeFile(join(dir, 'report.pdf'), Buffer.from('%PDF-1.4 not really'));
      const fixture = structuredClone(example);
      fixture.organizations[0].attachments[0].content = { path: 'report.pdf' };
      fixture.organizations[0].attachments[0].fileName = '../../etc/passwd';
      const t = await startTestServer({ fixture, dataDir: dir });
      try {
        const key = blobKeyFor('2034020000000000001', '2034020000000711008');
        const chunks: Buffer[] = [];
        for await (const c of (await t.server.stores.blobs.get(key)).body) chunks.push(c as Buffer);
        expect(Buffer.concat(chunks).toString('utf8')).toBe('%PDF-1.4 not really');
      } finally {
        await t.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports every dangling reference with its JSON path', () => {
    const fixture = structuredClone(example);
    const org = fixture.organizations[0];
    org.users[1].profile = 'Nobody';
    org.tokens[0].user = '1';
    org.records[0].owner = '2';
    org.attachments[0].record = '3';
    org.roles[1].reportsTo = '4';
    try {
      parseFixture(fixture, 'test');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(FixtureError);
      expect((error as FixtureError).problems).toEqual([
        '$.organizations.0.roles.1.reportsTo: no role 4',
        '$.organizations.0.users.1.profile: no profile Nobody',
        '$.organizations.0.tokens.0.user: no user 1',
        '$.organizations.0.records.0.owner: no user 2',
        '$.organizations.0.attachments.0.record: no record 3',
      ]);
    }
  });

  it('refuses an attachment with both content and a link, or neither', () => {
    const fixture = structuredClone(example);
    fixture.organizations[0].attachments[0].linkUrl = 'https://example.com/';
    delete fixture.organizations[0].attachments[1].content;
    expect(() => parseFixture(fixture, 'test')).toThrow(/exactly one of content or linkUrl/);
  });
});
