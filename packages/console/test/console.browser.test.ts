import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachmentPath, FAR_FUTURE, orgFixture, orgIds } from '../../server/test/support/fixtures.js';
import { authQuery, clientsFixture, WEB_CLIENT } from '../../server/test/support/oauth.js';
import { startReceiver } from '../../server/test/support/receiver.js';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.js';

// The console in real headless Chromium (Debian's, never a downloaded one): one flow per section,
// screenshots at desktop and phone width into docs/screenshots, and an axe-core check.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const here = dirname(fileURLToPath(import.meta.url));
const consoleRoot = join(here, '..');
const shots = join(here, '../../../docs/screenshots');
const KEY = 'console-test-admin-key-0123456789';
const A = orgIds(4242424, 'c0c0');
const ADMIN_PASSWORD = 'console-admin-pw';
const WATCH_TOKEN = `1000.${'c0c0watch'.padEnd(32, '0')}.55555555555555555555555555555555`;

if (!existsSync(CHROMIUM))
  console.log(`console browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);

describe.skipIf(!existsSync(CHROMIUM))('web console', () => {
  let t: TestServer;
  let browser: Browser;
  let page: Page;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    if (!existsSync(join(consoleRoot, 'dist/index.html'))) {
      const { build } = await import('vite');
      await build({ configFile: join(consoleRoot, 'vite.config.ts'), logLevel: 'warn' });
    }
    const extraTokens = [
      {
        token: WATCH_TOKEN,
        user: A.user.admin,
        scope: 'ZohoBigin.notifications.ALL,ZohoBigin.modules.ALL',
        expiresAt: FAR_FUTURE,
      },
    ];
    const org = orgFixture(A, { extraTokens });
    org.users = org.users.map((u) => (u.id === A.user.admin ? { ...u, password: ADMIN_PASSWORD } : u));
    t = await startTestServer({
      fixture: { clients: clientsFixture(), organizations: [org] },
      // The worker's own timer stays out of the way: deliveries go out when the clock moves.
      settings: { ADMIN_KEY: KEY, NOTIFY_POLL_MS: '60000' },
    });
    receiver = await startReceiver();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // Deletes and "retry now" ask first; the tests say yes.
    page.on('dialog', (dialog) => void dialog.accept());
    // A locator that never matches fails naming itself, well before the test's own timeout.
    page.setDefaultTimeout(10_000);
    await mkdir(shots, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await receiver?.close();
    await t?.close();
  });

  async function shoot(name: string) {
    await page.screenshot({ path: join(shots, `${name}-desktop.png`), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    // Usable at phone width: nothing makes the page scroll sideways (wide tables scroll in place).
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(shots, `${name}-phone.png`), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
  }

  async function axe() {
    const source = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    // Evaluated over the DevTools protocol: the page's own CSP (no inline script) stays in force.
    await page.evaluate(source);
    const result = (await page.evaluate('axe.run(document, { resultTypes: ["violations"] })')) as {
      violations: Array<{ id: string; impact: string; nodes: unknown[] }>;
    };
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}, ${v.nodes.length} nodes)`);
  }

  it('asks for the admin key, and a wrong one leads back to the form', async () => {
    await page.goto(`${t.url}/_console`);
    await page.getByLabel('Admin key').fill('not-the-key');
    await page.getByRole('button', { name: 'Open the console' }).click();
    await expect.poll(() => page.getByLabel('Admin key').isVisible()).toBe(true);
    expect(await axe()).toEqual([]);
    await page.getByLabel('Admin key').fill(KEY);
    await page.getByRole('button', { name: 'Open the console' }).click();
    await page.getByRole('heading', { name: 'Organisations' }).waitFor();
  });

  it('lists organisations and creates one from a fixture fragment', async () => {
    await page.getByRole('cell', { name: A.org, exact: true }).waitFor();
    await page.getByLabel(/Fixture fragment/).fill('{"name": "Created in the console"}');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('cell', { name: 'Created in the console' }).waitFor();
    await page.getByText('Its tokens are shown only now').waitFor();
    expect(await axe()).toEqual([]);
    await shoot('organizations');
  });

  it("shows an organisation's data center, users, tokens, clients and credits", async () => {
    await page.getByRole('row').filter({ hasText: A.org }).getByRole('button', { name: 'Details' }).click();
    const detail = page.getByRole('region', { name: /Org / });
    await detail.getByRole('cell', { name: 'Deleter' }).first().waitFor();
    await detail.getByText('UTC').first().waitFor();
    await detail
      .getByTestId('credits')
      .getByText(/used in the last 24 h/)
      .waitFor();
    await expect.poll(() => detail.getByRole('button', { name: /^Revoke token/ }).count()).toBe(10);
    await page.getByLabel('Scope').fill('ZohoBigin.modules.contacts.READ');
    await page.getByRole('button', { name: 'Mint token' }).click();
    await page
      .getByRole('region', { name: 'The minted token' })
      .getByText('ZohoBigin.modules.contacts.READ')
      .waitFor();
    await expect.poll(() => detail.getByRole('button', { name: /^Revoke token/ }).count()).toBe(11);
    expect(await axe()).toEqual([]);
    await shoot('organization-detail');
  });

  it('uploads a file by drag and drop, previews it and deletes it, through the Bigin API', async () => {
    await page.getByRole('link', { name: 'Records' }).click();
    await page.getByLabel('Organisation').selectOption(A.org);
    await page.getByRole('button', { name: A.contactOf.rep1 }).click();
    const dropzone = page.getByTestId('dropzone');
    await dropzone.waitFor();
    const transfer = await page.evaluateHandle(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['hello from the console'], 'console-note.txt', { type: 'text/plain' }));
      return dt;
    });
    await dropzone.dispatchEvent('drop', { dataTransfer: transfer });
    const item = page.getByRole('listitem').filter({ hasText: 'console-note.txt' });
    await item.waitFor();
    await item.getByRole('button', { name: 'Preview' }).click();
    await page.getByText('hello from the console').waitFor();
    expect(await axe()).toEqual([]);
    await shoot('records');
    await item.getByRole('button', { name: 'Delete' }).click();
    await item.waitFor({ state: 'detached' });
  });

  it('restores the deleted file from the recycle bin, and the record lists it again', async () => {
    const bin = page.getByRole('region', { name: 'Deleted items' });
    const row = bin.getByRole('row').filter({ hasText: 'console-note.txt' });
    await row.waitFor();
    expect(await axe()).toEqual([]);
    await row.getByRole('button', { name: 'Restore console-note.txt' }).click();
    await row.waitFor({ state: 'detached' });
    await page.getByRole('listitem').filter({ hasText: 'console-note.txt' }).waitFor();
  });

  it('creates a record, finds it by criteria, tags it, deletes it and restores it', async () => {
    await page.getByRole('button', { name: 'New record' }).click();
    await page.getByLabel(/New Contacts record/).fill('{"Last_Name": "Consolemade"}');
    await page.getByRole('button', { name: 'Create record' }).click();
    await page.getByLabel(/Criteria/).fill('(Last_Name:equals:Consolemade)');
    await page.getByRole('button', { name: 'Search' }).click();
    const records = page.getByRole('region', { name: 'Records', exact: true });
    const row = records.getByRole('row').filter({ hasText: 'Consolemade' });
    await row.waitFor();
    // The header and the one match: the search, not the whole module, is listed.
    const listed = records.getByRole('row');
    await expect.poll(() => listed.count()).toBe(2);
    await row.getByRole('button').click();
    const detail = page.getByRole('complementary', { name: 'Record' });
    await detail.getByText('"Last_Name": "Consolemade"').waitFor();
    await page.getByLabel('Tag name').fill('Console');
    await page.getByRole('button', { name: 'Add tag' }).click();
    await detail.getByRole('button', { name: 'Remove tag Console' }).waitFor();
    expect(await axe()).toEqual([]);
    await shoot('record');
    await detail.getByRole('button', { name: 'Delete record' }).click();
    await row.waitFor({ state: 'detached' });
    const binRow = page
      .getByRole('region', { name: 'Deleted items' })
      .getByRole('row')
      .filter({ hasText: 'Consolemade' });
    await binRow.getByRole('button', { name: /^Restore/ }).click();
    await binRow.waitFor({ state: 'detached' });
    await row.waitFor();
  });

  it('shows an API call in the journal as it arrives, with the rule that decided it', async () => {
    await page.getByRole('link', { name: 'Journal' }).click();
    await page.getByRole('heading', { name: 'Journal' }).waitFor();
    await page
      .getByText(/No requests yet|GET|POST|DELETE/)
      .first()
      .waitFor();
    const path = attachmentPath('Contacts', A.contactOf.rep1, A.attachment[0]!);
    const res = await fetch(`${t.url}${path}`, {
      method: 'DELETE',
      headers: { authorization: `Zoho-oauthtoken ${A.token('standard')}` },
    });
    expect(res.status).toBeGreaterThanOrEqual(200);
    const row = page.getByRole('row').filter({ hasText: `DELETE ${path}` });
    await row.first().waitFor();
    await row.first().getByRole('button').click();
    const details = page.getByRole('complementary', { name: 'Request details' });
    await details.waitFor();
    // The answer and the rule that decided it, in words, beside the raw entry.
    await details
      .getByTestId('journal-facts')
      .getByText(/^(D4\.\d+|success)/)
      .waitFor();
    expect(await axe()).toEqual([]);
    await shoot('journal');
  });

  it('revokes a token, and the journal shows the next call with it refused and why', async () => {
    await page.getByRole('link', { name: 'Organisations' }).click();
    await page.getByRole('row').filter({ hasText: A.org }).getByRole('button', { name: 'Details' }).click();
    const tokens = page.getByRole('region', { name: 'Access tokens' });
    const row = tokens
      .getByRole('row')
      .filter({ has: page.getByRole('cell', { name: 'rep2', exact: true }) });
    await row.getByRole('button', { name: /^Revoke token/ }).click();
    await row.getByText('revoked').waitFor();
    const res = await fetch(`${t.url}/bigin/v2/Contacts?fields=Last_Name`, {
      headers: { authorization: `Zoho-oauthtoken ${A.token('rep2')}` },
    });
    expect(res.status).toBe(401);
    await page.getByRole('link', { name: 'Journal' }).click();
    await page.getByLabel('Code').fill('INVALID_TOKEN');
    await page.getByLabel('Code').press('Enter');
    const refused = page
      .getByRole('row')
      .filter({ hasText: 'GET /bigin/v2/Contacts' })
      .filter({ hasText: '401' });
    await refused.first().waitFor();
    await expect.poll(() => refused.first().textContent()).toMatch(/INVALID_TOKEN.*revoked/);
    await page.getByLabel('Code').fill('');
    await page.getByLabel('Code').press('Enter');
  });

  it('lists notification channels and deliveries, and retries a failed delivery now', async () => {
    const watch = await fetch(`${t.url}/bigin/v2/actions/watch`, {
      method: 'POST',
      headers: { authorization: `Zoho-oauthtoken ${WATCH_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        watch: [{ channel_id: 7001, events: ['Contacts.create'], notify_url: receiver.url() }],
      }),
    });
    expect(watch.status).toBe(201);
    receiver.setMode('error');
    const created = await fetch(`${t.url}/bigin/v2/Contacts`, {
      method: 'POST',
      headers: { authorization: `Zoho-oauthtoken ${WATCH_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ data: [{ Last_Name: 'Watched' }] }),
    });
    expect(created.status).toBe(201);
    await page.getByRole('link', { name: 'Notifications' }).click();
    await page.getByLabel('Organisation').selectOption(A.org);
    await page.getByRole('region', { name: 'Channels' }).getByRole('cell', { name: '7001' }).waitFor();
    const deliveries = page.getByRole('region', { name: 'Recent deliveries' });
    const pending = deliveries.getByRole('row').filter({ hasText: 'pending' });
    await pending.first().waitFor();
    // The first retry meets a receiver that answers 503: still pending, one more attempt counted.
    const before = receiver.attempts.length;
    await pending
      .first()
      .getByRole('button', { name: /Retry delivery/ })
      .click();
    await expect.poll(() => receiver.attempts.length).toBeGreaterThan(before);
    await deliveries.getByRole('row').filter({ hasText: '503' }).first().waitFor();
    receiver.setMode('ok');
    await deliveries
      .getByRole('button', { name: /Retry delivery/ })
      .first()
      .click();
    await deliveries.getByRole('row').filter({ hasText: 'delivered' }).first().waitFor();
    expect(receiver.received).toHaveLength(1);
    expect(await axe()).toEqual([]);
    await shoot('notifications');
  });

  it('adds a fault rule, sees it fire in the journal, and removes it', async () => {
    await page.getByRole('link', { name: 'Faults' }).click();
    await page.getByLabel('Rule (JSON)').fill(
      JSON.stringify({
        match: { method: 'GET', orgId: A.org },
        answer: { kind: 'error', code: 'INTERNAL_ERROR' },
        times: 1,
      }),
    );
    await page.getByRole('button', { name: 'Add rule' }).click();
    const problem = page.getByRole('alert');
    await Promise.race([
      page.getByRole('cell', { name: /INTERNAL_ERROR/ }).waitFor(),
      problem.waitFor().then(async () => {
        throw new Error(`the console refused the rule: ${await problem.textContent()}`);
      }),
    ]);
    await shoot('faults');
    const res = await fetch(`${t.url}/bigin/v2/Contacts/${A.contactOf.rep1}/Attachments`, {
      headers: { authorization: `Zoho-oauthtoken ${A.token('admin')}` },
    });
    expect(res.status).toBe(500);
    await page.getByRole('link', { name: 'Journal' }).click();
    await page.getByRole('row').filter({ hasText: 'forced' }).first().waitFor();
    await page.getByRole('link', { name: 'Faults' }).click();
    await page.getByRole('button', { name: 'Remove all' }).click();
    await page.getByText('No fault rules').waitFor();
  });

  it('signs in on the consent page, sees who the grant is for, and accepts', async () => {
    await page.goto(`${t.url}/oauth/v2/auth?${authQuery({ state: 'console' })}`);
    await page.getByText('See, add, change and delete all your Bigin records').waitFor();
    await page.getByText('ZohoBigin.modules.ALL', { exact: true }).waitFor();
    expect(await axe()).toEqual([]);
    await shoot('consent');
    await page.getByLabel('E-mail address').fill(`admin@${A.org}.example.com`);
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(`organisation ${A.org}, US data center`).waitFor();
    expect(await axe()).toEqual([]);
    await shoot('consent-signed-in');
    // The client's redirect URI is not served here: the browser is answered in its place.
    await page.route(`${WEB_CLIENT.redirectUri}**`, (route) =>
      route.fulfill({ status: 200, contentType: 'text/plain', body: 'the client got its code' }),
    );
    await page.getByRole('button', { name: 'Accept' }).click();
    await page.waitForURL((url) => url.searchParams.get('state') === 'console');
    expect(new URL(page.url()).searchParams.get('code')).toMatch(/^1000\./);
    await page.unroute(`${WEB_CLIENT.redirectUri}**`);
  });

  it('shows a refused authorization request with the parameter to fix', async () => {
    await page.goto(`${t.url}/oauth/v2/auth?${authQuery({ redirect_uri: 'https://elsewhere.example/cb' })}`);
    await page.getByRole('heading', { name: 'Invalid Redirect Uri' }).waitFor();
    await page.getByRole('region', { name: 'For the developer' }).getByText('redirect_uri').waitFor();
    expect(await axe()).toEqual([]);
    await shoot('consent-error');
    await page.goto(`${t.url}/_console#clock`);
  });

  it('moves the virtual clock', async () => {
    await page.getByRole('link', { name: 'Clock' }).click();
    const before = (await page.getByTestId('clock-now').textContent()) ?? '';
    await page.getByLabel(/Advance by/).fill('2h');
    await page.getByRole('button', { name: 'Advance' }).click();
    await expect.poll(() => page.getByTestId('clock-now').textContent()).not.toBe(before);
    expect(Date.parse((await page.getByTestId('clock-now').textContent()) ?? '') - Date.parse(before)).toBe(
      2 * 3_600_000,
    );
    expect(await axe()).toEqual([]);
    await shoot('clock');
  });

  it('stays readable in the dark theme: no serious violation (contrast included) in any section', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    for (const [link, heading] of [
      ['Organisations', 'Organisations'],
      ['Records', 'Records and attachments'],
      ['Journal', 'Journal'],
      ['Notifications', 'Notifications'],
      ['Faults', 'Faults'],
      ['Clock', 'Clock'],
    ] as const) {
      await page.getByRole('link', { name: link, exact: true }).click();
      await page.getByRole('heading', { name: heading, exact: true }).waitFor();
      expect({ link, violations: await axe() }).toEqual({ link, violations: [] });
    }
    await page.getByRole('link', { name: 'Journal', exact: true }).click();
    await page.getByRole('row').nth(1).waitFor();
    await shoot('dark-journal');
    await page.emulateMedia({ colorScheme: 'light' });
  });
});
