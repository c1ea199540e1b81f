import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { orgFixture, orgIds } from '../../server/test/support/fixtures.js';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.js';
import { ensureBuilt, REPO_ROOT } from './support/cli.js';

// The README's first example, run as written against a fresh server holding the spec's sample
// Pipelines record and attachment. The one substitution: the server's port (8080 may be taken).

const A = orgIds(2034021, 'readme');
const RECORD = '2034020000000489124';
const ATTACHMENT = '2034020000000711008';
const README = join(REPO_ROOT, 'packages', 'client', 'README.md');
const script = join(REPO_ROOT, 'packages', 'client', 'dist', 'readme-example.mjs');

let t: TestServer;
beforeAll(async () => {
  ensureBuilt();
  const fixture = orgFixture(A);
  fixture.records.push({ id: RECORD, module: 'Pipelines', name: 'Sample deal', owner: A.user.admin });
  fixture.attachments.push({
    id: ATTACHMENT,
    record: RECORD,
    fileName: 'contract.pdf',
    content: { text: 'pdf' },
  });
  t = await startTestServer({ fixture: { organizations: [fixture] } });
}, 120_000);
afterAll(async () => {
  await t?.close();
  await rm(script, { force: true });
});

it('runs the README example as written', async () => {
  const readme = await readFile(README, 'utf8');
  const example = /```js\n([\s\S]*?)```/.exec(readme)![1]!;
  expect(example).toContain("new BiginClient({ apiDomain: 'http://localhost:8080' }");
  await writeFile(script, example.replace('http://localhost:8080', t.url));
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      [script],
      { env: { ...process.env, BIGIN_ACCESS_TOKEN: A.token('admin') } },
      (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
    );
  });
  expect(stdout).toBe(
    `{\n  code: 'SUCCESS',\n  details: { id: '${ATTACHMENT}' },\n  message: 'record deleted',\n  status: 'success'\n}\n`,
  );
});
