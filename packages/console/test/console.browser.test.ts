import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachmentPath, orgFixture, orgIds } from '../../server/test/support/fixtures.js';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.js';

// The console in real headless Chromium (Debian's, never a downloaded one): one flow per section,
// screenshots at desktop and phone width into docs/screenshots, and an axe-core check.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const here = dirname(fileURLToPath(import.meta.url));
const consoleRoot = join(here, '..');
const shots = join(here, '../../../docs/screenshots');
const KEY = 'console-test-admin-key-0123456789';
const A = orgIds(4242424, 'c0c0');

if (!existsSync(CHROMIUM))
  console.log(`console browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);

describe.skipIf(!existsSync(CHROMIUM))('web console', () => {
  let t: TestServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    if (!existsSync(join(consoleRoot, 'dist/index.html'))) {
      const { build } = await import('vite');
      await build({ configFile: join(consoleRoot, 'vite.config.ts'), logLevel: 'warn' });
    }
    t = await startTestServer({
      fixture: { organizations: [orgFixture(A)] },
      settings: { ADMIN_KEY: KEY },
    });
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
    await mkdir(shots, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function shoot(name: string) {
    await page.screenshot({ path: join(shots, `${name}-desktop.png`), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
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
    await page.getByRole('complementary', { name: 'Request details' }).waitFor();
    expect(await axe()).toEqual([]);
    await shoot('journal');
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
});
