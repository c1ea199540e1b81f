// Jest with @bigin-attachments/testing: one server for the file, an organisation per test, the
// clock moved instead of waited on. Run: see jest.config.mjs beside this file.
import { fileURLToPath } from 'node:url';
import { startBigin } from '@bigin-attachments/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

const CONTACT = '3045030000000000401';
const ATTACHMENT = '3045030000000000501';

describe('Jest with @bigin-attachments/testing', () => {
  let bigin;
  beforeAll(async () => {
    bigin = await startBigin({
      fixture: fileURLToPath(new URL('../fixture.json', import.meta.url)),
      clock: 'frozen',
      // Only the data center these tests use: each one served is an app of its own to start (the
      // default, all eight, takes about a second more).
      settings: { DATA_CENTERS: 'us' },
    });
  });
  afterAll(() => bigin?.close());

  const list = (org, token = org.token) =>
    fetch(`${org.apiBase}/bigin/v2/Contacts/${CONTACT}/Attachments?fields=File_Name`, {
      headers: { Authorization: `Zoho-oauthtoken ${token}` },
    });

  it('reads the fixture organisation with its fixture token', async () => {
    const res = await list(bigin.organization);
    expect(res.status).toBe(200);
    expect((await res.json()).data.map((a) => a.File_Name)).toEqual(['contract.txt']);
  });

  it('gives each test an organisation of its own', async () => {
    const mine = await bigin.newOrganization();
    const del = await fetch(`${mine.apiBase}/bigin/v2/Contacts/${CONTACT}/Attachments/${ATTACHMENT}`, {
      method: 'DELETE',
      headers: { Authorization: `Zoho-oauthtoken ${mine.token}` },
    });
    expect(del.status).toBe(200);
    expect((await list(mine)).status).toBe(204);
    expect((await list(bigin.organization)).status).toBe(200);
    await mine.delete();
  });

  it('expires a token by moving the clock, not by waiting', async () => {
    const mine = await bigin.newOrganization();
    const { token } = await mine.createToken({ expiresIn: 600 });
    await bigin.clock.advance('9m59s');
    expect((await list(mine, token)).status).toBe(200);
    await bigin.clock.advance('1s');
    expect((await list(mine, token)).status).toBe(401);
  });

  it('resets everything to the fixture', async () => {
    await bigin.newOrganization();
    await bigin.reset();
    expect((await bigin.admin.listOrganizations()).map((o) => o.id)).toEqual([bigin.organization.id]);
  });
});
