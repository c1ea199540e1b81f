import { BiginClient } from '@bigin-attachments/client';
import { describe, expect, it } from 'vitest';
import { admin, newOrganization } from './support.js';

const CLIENT = { id: '1000.TESTINGEXAMPLECLIENT00000000', secret: 'testing-example-client-secret' };
const CONTACT = '3045030000000000401';
const ATTACHMENT = '3045030000000000501';

// The clock is the server's, shared by every file: these tests move it forward only, and each
// asserts only on its own organisation, so the other files are not disturbed by the moves.
describe('time, without waiting', () => {
  it('the SDK refreshes an access token that expired on the virtual clock', async () => {
    const org = await newOrganization();
    const { token, refreshToken } = await admin.createToken(org.organization.id, {
      client: CLIENT.id,
      refresh: true,
    });
    const refreshed: string[] = [];
    const sdk = new BiginClient(
      { apiDomain: org.urls.api, accountsServer: org.urls.accounts },
      {
        clientId: CLIENT.id,
        clientSecret: CLIENT.secret,
        refreshToken: refreshToken!,
        accessToken: token,
        onRefresh: (t) => {
          refreshed.push(t.accessToken);
        },
      },
    );
    expect((await sdk.records.get('Contacts', CONTACT))?.id).toBe(CONTACT);
    await admin.clock.advance('1h'); // the access token's hour is over
    expect((await sdk.records.get('Contacts', CONTACT))?.id).toBe(CONTACT);
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]).not.toBe(token);
  });

  it('a deleted attachment is purged once the recycle bin keeps it no longer', async () => {
    const org = await newOrganization();
    const sdk = new BiginClient({ apiDomain: org.urls.api }, org.tokens[0]!.token);
    await sdk.attachments.delete('Contacts', CONTACT, ATTACHMENT);
    // What the server holds of the organisation, recycle bin included.
    const bin = async () =>
      ((await admin.exportOrganization(org.organization.id)).data as { attachments: unknown[] }).attachments
        .length;
    expect(await bin()).toBe(1); // in the recycle bin, restorable
    const moved = await admin.clock.advance('61d'); // past RECYCLE_BIN_RETENTION_DAYS (60)
    expect(moved.dueWork).toEqual([
      { name: 'purge', ok: true },
      { name: 'notifications', ok: true },
    ]);
    expect(await bin()).toBe(0);
  });
});
