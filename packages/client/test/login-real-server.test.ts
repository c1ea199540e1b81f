import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgFixture, orgIds } from '../../server/test/support/fixtures.js';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.js';
import { type CliResult, ensureBuilt, runCli, spawnCli } from './support/cli.js';

// `bigin auth login` and `bigin auth token` against the server's own consent page and token
// endpoint. First the "done when": on a freshly started server, log in, then
// `bigin attachments delete Pipelines 2034020000000489124 2034020000000711008` with the stored
// credentials. Then an EU login through the EU data center's port, refreshes (by the stored expiry
// and by the server's clock, through INVALID_TOKEN) and a refused code exchange.

const A = orgIds(1515151, 'login');
const EU = orgIds(1515252, 'logineu');
const EU_USER = { email: 'ann@acme.example', password: 'another long password' };
const HOUR = 3_600_000;
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

/** Plays the browser: opens the consent URL the CLI printed, signs in and accepts, follows the redirect. */
async function consent(consentUrl: string, user: { email: string; password: string }): Promise<string> {
  const page = await fetch(consentUrl, { redirect: 'manual' });
  expect(page.status).toBe(200);
  const cookie = page.headers.get('set-cookie')?.split(';')[0];
  const form = new URLSearchParams({ ...hiddenFields(await page.text()), ...user, decision: 'accept' });
  const accepted = await fetch(`${new URL(consentUrl).origin}/oauth/v2/auth`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
    body: form,
  });
  expect(accepted.status).toBe(302);
  const callback = await fetch(accepted.headers.get('location')!);
  return callback.text();
}

/** Runs `bigin auth login` and signs in when it prints the consent URL. */
async function cliLogin(
  args: string[],
  env: Record<string, string>,
  user: { email: string; password: string },
): Promise<{ result: CliResult; consentUrl: URL; page: string }> {
  const login = spawnCli(
    [...args, 'auth', 'login', '--client-id', CLIENT.id, '--port', String(port), '--no-browser'],
    env,
  );
  await login.waitForStderr('/oauth/v2/auth?');
  const consentUrl = /(http:\/\/\S+\/oauth\/v2\/auth\?\S+)/.exec(login.stderrText())![1]!;
  const page = await consent(consentUrl, user);
  return { result: await login.done, consentUrl: new URL(consentUrl), page };
}

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
  const eu = orgFixture(EU, { dataCenter: 'eu' });
  Object.assign(eu.users.find((u) => u.name === 'admin')!, EU_USER);
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
      organizations: [org, eu],
    },
  });
  configDir = await mkdtemp(join(tmpdir(), 'bigin-real-login-'));
}, 120_000);
afterAll(async () => {
  await t?.close();
  if (configDir) await rm(configDir, { recursive: true, force: true });
}, 60_000);

describe('bigin auth login against the server', { timeout: 60_000 }, () => {
  it('logs in through the consent page, then deletes the spec sample attachment with the stored profile', async () => {
    const env = { BIGIN_CONFIG_DIR: configDir, BIGIN_CLIENT_SECRET: CLIENT.secret };
    const { result, consentUrl, page } = await cliLogin(['--api-domain', t.url], env, USER);
    expect(page).toContain('Logged in');
    expect(consentUrl.searchParams.get('scope')).toBe(
      'ZohoBigin.modules.ALL,ZohoBigin.modules.attachments.ALL',
    );
    expect(consentUrl.searchParams.get('redirect_uri')).toBe(`http://localhost:${port}/callback`);
    expect(result).toEqual({
      code: 0,
      stdout: `Logged in. Profile "default" saved to ${join(configDir, 'config.json')}.\n`,
      stderr: expect.any(String),
    });
    expect(((await stat(join(configDir, 'config.json'))).mode & 0o777).toString(8)).toBe('600');
    expect(((await stat(configDir)).mode & 0o777).toString(8)).toBe('700');

    const del = await runCli(['attachments', 'delete', 'Pipelines', RECORD, ATTACHMENT], {
      BIGIN_CONFIG_DIR: configDir,
    });
    expect(del).toEqual({ code: 0, stdout: `Deleted attachment ${ATTACHMENT}\n`, stderr: '' });

    // `auth token` prints the stored access token for scripts.
    const token = await runCli(['auth', 'token'], { BIGIN_CONFIG_DIR: configDir });
    expect(token.stdout).toMatch(/^1000\.[0-9a-f]{32}\.[0-9a-f]{32}\n$/);
  });

  describe('in the EU data center', () => {
    const dir = () => join(configDir, 'eu');
    const env = () => ({ BIGIN_CONFIG_DIR: dir(), BIGIN_CLIENT_SECRET: CLIENT.secret });
    const config = async () => JSON.parse(await readFile(join(dir(), 'config.json'), 'utf8'));

    it("logs in at the EU accounts server and stores the EU port as the profile's API domain", async () => {
      const euUrl = t.server.dataCenterUrls.eu!;
      const { result } = await cliLogin(['--accounts-server', euUrl], env(), EU_USER);
      expect(result.code).toBe(0);
      expect(result.stdout + result.stderr).not.toContain(CLIENT.secret);
      expect((await config()).profiles.default).toMatchObject({
        clientId: CLIENT.id,
        clientSecret: CLIENT.secret,
        refreshToken: expect.stringMatching(/^1000\./),
        apiDomain: euUrl,
        accountsServer: euUrl,
        dataCenter: 'eu',
      });
      const id = EU.attachment[0]!;
      const del = await runCli(['attachments', 'delete', 'Contacts', EU.contactOf.rep1, id], env());
      expect(del).toEqual({ code: 0, stdout: `Deleted attachment ${id}\n`, stderr: '' });
    });

    it('logs in an EU user at the US accounts server and follows the redirect to the EU one (multi-DC)', async () => {
      const euUrl = t.server.dataCenterUrls.eu!;
      const multiDc = { BIGIN_CONFIG_DIR: join(configDir, 'eu-via-us'), BIGIN_CLIENT_SECRET: CLIENT.secret };
      const { result } = await cliLogin(['--accounts-server', t.server.dataCenterUrls.us!], multiDc, EU_USER);
      expect(result.code, result.stderr).toBe(0);
      const stored = JSON.parse(await readFile(join(configDir, 'eu-via-us', 'config.json'), 'utf8'));
      expect(stored.profiles.default).toMatchObject({
        apiDomain: euUrl,
        accountsServer: euUrl,
        dataCenter: 'eu',
      });
    });

    it('prints the cached token, and refreshes and stores one whose stored expiry has passed', async () => {
      const stored = (await config()).profiles.default.accessToken as string;
      expect(await runCli(['auth', 'token'], env())).toEqual({ code: 0, stdout: `${stored}\n`, stderr: '' });

      const file = join(dir(), 'config.json');
      const c = await config();
      c.profiles.default.accessTokenExpiresAt = 0;
      await writeFile(file, JSON.stringify(c));
      const refreshed = await runCli(['--json', 'auth', 'token'], env());
      expect(refreshed.code).toBe(0);
      const answer = JSON.parse(refreshed.stdout);
      expect(answer).toEqual({
        access_token: expect.stringMatching(/^1000\./),
        api_domain: t.server.dataCenterUrls.eu,
      });
      expect(answer.access_token).not.toBe(stored);
      expect((await config()).profiles.default.accessToken).toBe(answer.access_token);
    });

    it("refreshes once when the server's clock has expired the stored token (INVALID_TOKEN), and stores the new one", async () => {
      const before = (await config()).profiles.default.accessToken as string;
      t.clock.advance(HOUR + 1);
      const id = EU.attachment[1]!;
      const del = await runCli(['attachments', 'delete', 'Contacts', EU.contactOf.rep1, id], env());
      expect(del).toEqual({ code: 0, stdout: `Deleted attachment ${id}\n`, stderr: '' });
      const after = (await config()).profiles.default.accessToken as string;
      expect(after).not.toBe(before);
    });

    it("exits 3 with Zoho's error when the code exchange is refused", async () => {
      const { result } = await cliLogin(
        ['--profile', 'other', '--accounts-server', t.server.dataCenterUrls.eu!],
        { ...env(), BIGIN_CLIENT_SECRET: 'not-the-secret' },
        EU_USER,
      );
      expect(result.code).toBe(3);
      expect(result.stderr).toContain('error: OAuth: invalid_client_secret');
      expect(result.stderr).not.toContain('not-the-secret');
      expect(Object.keys((await config()).profiles)).toEqual(['default']);
    });
  });
});
