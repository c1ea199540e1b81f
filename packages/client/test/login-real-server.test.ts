import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgFixture, orgIds } from '../../server/test/support/fixtures.js';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.js';
import { ensureBuilt, REPO_ROOT, runCli, spawnCli } from './support/cli.js';

// The "done when": on a freshly started server, `bigin auth login` through the server's own
// consent page, then `bigin attachments delete Pipelines 2034020000000489124 2034020000000711008`
// with the stored credentials. The accounts endpoints are built on another branch; this suite
// runs wherever the server has them (the route file exists).
const SERVER_HAS_ACCOUNTS = existsSync(join(REPO_ROOT, 'packages/server/src/http/routes/accounts.ts'));

const A = orgIds(1515151, 'login');
const RECORD = '2034020000000489124';
const ATTACHMENT = '2034020000000711008';
const CLIENT = {
  id: '1000.CLIENTLOGINTEST0000000000000000',
  secret: 'cli-login-client-secret-000000000000000',
};
const USER = { email: 'admin@example.com', password: 'a long password for tests' };

/** A port free right now: Zoho matches redirect URIs exactly, so the client must be registered with it. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function hiddenFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields[m[1]!] = m[2]!
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  }
  return fields;
}

describe.runIf(SERVER_HAS_ACCOUNTS)('bigin auth login against the server', { timeout: 60_000 }, () => {
  let t: TestServer;
  let port: number;
  let configDir: string;

  beforeAll(async () => {
    ensureBuilt();
    port = await freePort();
    const org = orgFixture(A);
    const admin = org.users.find((u) => u.name === 'admin')!;
    Object.assign(admin, { email: USER.email, password: USER.password });
    org.records.push({ id: RECORD, module: 'Pipelines', name: 'Sample deal', owner: A.user.admin });
    org.attachments.push({
      id: ATTACHMENT,
      record: RECORD,
      fileName: 'contract.pdf',
      content: { text: 'pdf' },
    });
    t = await startTestServer({
      fixture: {
        clients: [
          {
            id: CLIENT.id,
            name: 'bigin CLI',
            secret: CLIENT.secret,
            redirectUris: [`http://localhost:${port}/callback`],
          },
        ],
        organizations: [org],
      },
    });
    configDir = await mkdtemp(join(tmpdir(), 'bigin-real-login-'));
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    if (configDir) await rm(configDir, { recursive: true, force: true });
  });

  it('logs in through the consent page, then deletes the spec sample attachment with the stored profile', async () => {
    const env = { BIGIN_CONFIG_DIR: configDir, BIGIN_CLIENT_SECRET: CLIENT.secret };
    const login = spawnCli(
      [
        '--api-domain',
        t.url,
        'auth',
        'login',
        '--client-id',
        CLIENT.id,
        '--port',
        String(port),
        '--no-browser',
      ],
      env,
    );
    await login.waitForStderr('/oauth/v2/auth?');
    const consentUrl = /(http:\/\/\S+\/oauth\/v2\/auth\?\S+)/.exec(login.stderrText())![1]!;

    // The browser: open the consent page, sign in and accept, follow the redirect to the CLI.
    const page = await fetch(consentUrl, { redirect: 'manual' });
    expect(page.status).toBe(200);
    const cookie = page.headers.get('set-cookie')?.split(';')[0];
    const form = new URLSearchParams({ ...hiddenFields(await page.text()), ...USER, decision: 'accept' });
    const accepted = await fetch(`${new URL(consentUrl).origin}/oauth/v2/auth`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
      body: form,
    });
    expect(accepted.status).toBe(302);
    const callback = await fetch(accepted.headers.get('location')!);
    expect(await callback.text()).toContain('Logged in');

    const result = await login.done;
    expect(result.code).toBe(0);
    expect(((await stat(join(configDir, 'config.json'))).mode & 0o777).toString(8)).toBe('600');

    const del = await runCli(['attachments', 'delete', 'Pipelines', RECORD, ATTACHMENT], {
      BIGIN_CONFIG_DIR: configDir,
    });
    expect(del).toEqual({ code: 0, stdout: `Deleted attachment ${ATTACHMENT}\n`, stderr: '' });

    // `auth token` prints the stored access token for scripts.
    const token = await runCli(['auth', 'token'], { BIGIN_CONFIG_DIR: configDir });
    expect(token.stdout).toMatch(/^1000\.[0-9a-f]{32}\.[0-9a-f]{32}\n$/);
  });
});
