// node --test examples/testing/node-test/
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startBigin } from '@bigin-attachments/testing';

const CONTACT = '3045030000000000401';
const ATTACHMENT = '3045030000000000501';

describe('node:test with @bigin-attachments/testing', () => {
  let bigin;
  before(async () => {
    bigin = await startBigin({
      fixture: fileURLToPath(new URL('../fixture.json', import.meta.url)),
      clock: 'frozen',
      // Only the data center these tests use: each one served is an app of its own to start (the
      // default, all eight, takes about a second more).
      settings: { DATA_CENTERS: 'us' },
    });
  });
  after(() => bigin.close());

  const list = (org, token = org.token) =>
    fetch(`${org.apiBase}/bigin/v2/Contacts/${CONTACT}/Attachments?fields=File_Name`, {
      headers: { Authorization: `Zoho-oauthtoken ${token}` },
    });

  it('reads the fixture organisation with its fixture token', async () => {
    const res = await list(bigin.organization);
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.deepEqual(
      body.data.map((a) => a.File_Name),
      ['contract.txt'],
    );
  });

  it('gives each test an organisation of its own', async () => {
    const mine = await bigin.newOrganization();
    const del = await fetch(`${mine.apiBase}/bigin/v2/Contacts/${CONTACT}/Attachments/${ATTACHMENT}`, {
      method: 'DELETE',
      headers: { Authorization: `Zoho-oauthtoken ${mine.token}` },
    });
    assert.equal(del.status, 200);
    assert.equal((await list(mine)).status, 204);
    assert.equal((await list(bigin.organization)).status, 200);
    await mine.delete();
  });

  it('expires a token by moving the clock, not by waiting', async () => {
    const mine = await bigin.newOrganization();
    const { token } = await mine.createToken({ expiresIn: 600 });
    assert.equal((await list(mine, token)).status, 200);
    await bigin.clock.advance('10m');
    assert.equal((await list(mine, token)).status, 401);
  });

  it('resets everything to the fixture', async () => {
    await bigin.newOrganization();
    await bigin.reset();
    const orgs = await bigin.admin.listOrganizations();
    assert.deepEqual(
      orgs.map((o) => o.id),
      [bigin.organization.id],
    );
  });
});
