import { BiginClient } from '@bigin-attachments/client';
import { describe, expect, it } from 'vitest';
import { admin, newOrganization } from './support.js';

const CONTACT = '3045030000000000401';
const ATTACHMENT = '3045030000000000501';

// Tests here run concurrently: each in its own organisation, so none sees another's deletes.
describe.concurrent('attachments, one organisation per test', () => {
  it('deletes the fixture attachment with the SDK', async () => {
    const org = await newOrganization();
    const sdk = new BiginClient({ apiDomain: org.urls.api }, org.tokens[0]!.token);
    const deleted = await sdk.attachments.delete('Contacts', CONTACT, ATTACHMENT);
    expect(deleted.details.id).toBe(ATTACHMENT);
    const page = await sdk.attachments.list('Contacts', CONTACT);
    expect(page.data).toEqual([]);
  });

  it('still finds the attachment in a fresh organisation, with plain fetch', async () => {
    const org = await newOrganization();
    const res = await fetch(`${org.urls.api}/bigin/v2/Contacts/${CONTACT}/Attachments?fields=File_Name`, {
      headers: { Authorization: `Zoho-oauthtoken ${org.tokens[0]!.token}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: Array<{ id: string; File_Name: string }> };
    expect(body.data).toEqual([expect.objectContaining({ id: ATTACHMENT, File_Name: 'contract.txt' })]);
  });

  it('resets an organisation to how it was made', async () => {
    const org = await newOrganization();
    const sdk = new BiginClient({ apiDomain: org.urls.api }, org.tokens[0]!.token);
    await sdk.attachments.delete('Contacts', CONTACT, ATTACHMENT);
    await admin.resetOrganization(org.organization.id);
    expect((await sdk.attachments.list('Contacts', CONTACT)).data).toHaveLength(1);
  });
});
