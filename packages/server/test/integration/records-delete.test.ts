import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerAdminCommands } from '../../src/admin/admin-commands.js';
import { blobKeyFor } from '../../src/domain/blob-keys.js';
import { restoreAttachment, restoreRecord } from '../../src/domain/recycle-bin.js';
import { call, deleteSuccess, ERR, errorEnvelope } from '../support/bigin.js';
import { sqlRows } from '../support/data-folder.js';
import { attachmentPath, orgFixture, orgIds, type UserName } from '../support/fixtures.js';
import {
  deleted,
  expectJson,
  expectNoContent,
  idOf,
  invalidId,
  itemError,
  recordsPath,
  sendJsonBody,
} from '../support/records.js';
import { startTestServer, TEST_EPOCH, type TestServer } from '../support/test-server.js';

// DELETE /bigin/v2/{module}/{id} and ?ids= (docs/records.md): per-item results, not idempotent,
// the limits, visibility, and the cascade to related records and attachments with its restore
// and purge (D5).

const D = orgIds(6161616, 'del1');
const x = (n: number) => `6161616${String(900 + n).padStart(12, '0')}`;
const ids = {
  profile: x(1),
  company: x(2),
  c1: x(3),
  c2: x(4),
  other: x(5),
  noteOnC1: x(6),
  noteOnCompany: x(7),
  lone: x(8),
  companyFiles: [x(10), x(11), x(12)],
  c1File: x(13),
  noteFile: x(14),
  loneFiles: [x(20), x(21), x(22)],
  loneEarlierDeleted: x(23),
};
const READ_ONLY = '1000.readonlydel10000000000000000000.00000000000000000000000000000000';
const DAY = 86_400_000;

function fixture() {
  const base = orgFixture(D);
  const recordDeleters: UserName[] = ['manager', 'rep1', 'rep2', 'peerA', 'peerB'];
  const admin = D.user.admin;
  const file = (id: string, record: string) => ({
    id,
    record,
    fileName: `${id}.txt`,
    content: { text: `bytes of ${id}` },
  });
  return {
    ...base,
    profiles: [
      ...base.profiles,
      {
        id: ids.profile,
        name: 'Record Deleter',
        template: 'Standard',
        modules: { Contacts: { delete: true } },
      },
    ],
    users: base.users.map((u) =>
      recordDeleters.includes(u.name as UserName) ? { ...u, profile: 'Record Deleter' } : u,
    ),
    tokens: [
      ...base.tokens,
      {
        token: READ_ONLY,
        user: admin,
        scope: 'ZohoBigin.modules.contacts.READ',
        expiresAt: '2099-01-01T00:00:00Z',
      },
    ],
    records: [
      ...base.records,
      { id: ids.company, module: 'Accounts', owner: admin, fields: { Account_Name: 'Cascade Co' } },
      {
        id: ids.c1,
        module: 'Contacts',
        owner: admin,
        fields: { Last_Name: 'One', Account_Name: { id: ids.company } },
      },
      {
        id: ids.c2,
        module: 'Contacts',
        owner: D.user.rep1,
        fields: { Last_Name: 'Two', Account_Name: { id: ids.company } },
      },
      { id: ids.other, module: 'Contacts', owner: admin, fields: { Last_Name: 'Unrelated' } },
      {
        id: ids.noteOnC1,
        module: 'Notes',
        owner: admin,
        fields: { Note_Content: 'on one', Parent_Id: { id: ids.c1 }, se_module: 'Contacts' },
      },
      {
        id: ids.noteOnCompany,
        module: 'Notes',
        owner: admin,
        fields: { Note_Content: 'on co', Parent_Id: { id: ids.company }, se_module: 'Accounts' },
      },
      {
        id: ids.lone,
        module: 'Contacts',
        owner: admin,
        fields: { First_Name: 'Lone', Last_Name: 'Contact' },
      },
    ],
    attachments: [
      ...base.attachments,
      ...ids.companyFiles.map((id) => file(id, ids.company)),
      file(ids.c1File, ids.c1),
      file(ids.noteFile, ids.noteOnC1),
      ...ids.loneFiles.map((id) => file(id, ids.lone)),
      file(ids.loneEarlierDeleted, ids.lone),
    ],
  };
}

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ fixture: { organizations: [fixture()] } });
});
afterAll(() => t?.close());

const admin = D.token('admin');
const del = (path: string, user: UserName | string = 'admin') =>
  call(t.url, 'DELETE', path, user.startsWith('1000.') ? user : D.token(user as UserName));
const live = (recordId: string, attachmentId: string) =>
  t.server.stores.metadata.attachments.findLive(D.org, recordId, attachmentId);
const restore = (recordId: string) =>
  restoreRecord(
    {
      recordData: t.server.stores.metadata.recordData,
      clock: t.clock,
      retentionMs: t.config.recycleBinRetentionMs,
    },
    { orgId: D.org, recordId },
  );

describe('single delete', () => {
  it('deletes a record: 200 and the documented body', async () => {
    const id = idOf(
      await sendJsonBody(t.url, 'POST', recordsPath('Contacts'), admin, { data: [{ Last_Name: 'Temp' }] }),
    );
    const res = await del(recordsPath('Contacts', id));
    expect(res.text).toBe(
      `{"data":[{"code":"SUCCESS","details":{"id":"${id}"},"message":"record deleted","status":"success"}]}`,
    );
    expectJson(res, 200, { data: [deleted(id)] });
    expectNoContent(await call(t.url, 'GET', recordsPath('Contacts', id), admin));
  });

  it('is not idempotent: a second delete answers 400 INVALID_DATA for the id', async () => {
    const id = idOf(
      await sendJsonBody(t.url, 'POST', recordsPath('Contacts'), admin, { data: [{ Last_Name: 'Twice' }] }),
    );
    expectJson(await del(recordsPath('Contacts', id)), 200, { data: [deleted(id)] });
    expectJson(await del(recordsPath('Contacts', id)), 400, { data: [invalidId(id)] });
  });

  it.each([
    ['an unknown id', '1234'],
    ['a malformed id', 'abc'],
    ['a record of another module', D.recordIn.Accounts],
  ])('answers %s with 400 INVALID_DATA for it', async (_name, id) => {
    expectJson(await del(recordsPath('Contacts', id)), 400, { data: [invalidId(id)] });
  });
});

describe('bulk delete', () => {
  it('deletes 100 records: 202 and a result for each', async () => {
    const res = await sendJsonBody(t.url, 'POST', recordsPath('Contacts'), admin, {
      data: Array.from({ length: 100 }, (_, i) => ({ Last_Name: `bulk ${i}` })),
    });
    const created = Array.from({ length: 100 }, (_, i) => idOf(res, i));
    expectJson(await del(`/bigin/v2/Contacts?ids=${created.join(',')}`), 202, { data: created.map(deleted) });
  });

  it('answers a mix with 207, in the order of the ids, the same id twice failing the second time', async () => {
    const own = idOf(
      await sendJsonBody(t.url, 'POST', recordsPath('Contacts'), D.token('rep1'), {
        data: [{ Last_Name: 'Mine' }],
      }),
    );
    expectJson(await del(`/bigin/v2/Contacts?ids=${own},${D.contactOf.admin},99,${own}`, 'rep1'), 207, {
      data: [
        deleted(own),
        itemError('NO_PERMISSION', 'permission denied', { id: D.contactOf.admin }),
        invalidId('99'),
        invalidId(own),
      ],
    });
  });

  it('refuses 101 ids as a whole, deleting none', async () => {
    const res = await sendJsonBody(t.url, 'POST', recordsPath('Contacts'), admin, {
      data: Array.from({ length: 100 }, (_, i) => ({ Last_Name: `kept ${i}` })),
    });
    const created = Array.from({ length: 100 }, (_, i) => idOf(res, i));
    expectJson(
      await del(`/bigin/v2/Contacts?ids=${[...created, '1'].join(',')}`),
      400,
      errorEnvelope('LIMIT_EXCEEDED', 'the number of records in the request exceeds the limit', {
        limit: 100,
        param_name: 'ids',
      }),
    );
    expect((await call(t.url, 'GET', recordsPath('Contacts', created[0]), admin)).status).toBe(200);
  });

  it.each(['', '?ids=', '?ids=,,'])('refuses a missing ids parameter (%s)', async (query) => {
    expectJson(
      await del(`/bigin/v2/Contacts${query}`),
      400,
      errorEnvelope('REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', {
        param_name: 'ids',
      }),
    );
  });
});

describe('who may delete', () => {
  it('refuses a profile without the module delete permission as a whole (403), before the parameters', async () => {
    expectJson(await del(recordsPath('Contacts', D.contactOf.rep1), 'standard'), 403, ERR.noPermission);
    expectJson(await del('/bigin/v2/Contacts', 'standard'), 403, ERR.noPermission);
  });

  it('refuses a token without a delete scope', async () => {
    expectJson(await del(recordsPath('Contacts', D.contactOf.rep1), READ_ONLY), 401, ERR.scopeMismatch);
  });

  it("does not let a user delete an administrator's record, nor a non-sharing peer's", async () => {
    expectJson(await del(recordsPath('Contacts', D.contactOf.admin), 'rep1'), 400, {
      data: [itemError('NO_PERMISSION', 'permission denied', { id: D.contactOf.admin })],
    });
    expectJson(await del(recordsPath('Contacts', D.contactOf.rep2), 'rep1'), 400, {
      data: [itemError('NO_PERMISSION', 'permission denied', { id: D.contactOf.rep2 })],
    });
    expect((await call(t.url, 'GET', recordsPath('Contacts', D.contactOf.admin), admin)).status).toBe(200);
  });

  it('lets a sharing peer and a manager above the owner delete', async () => {
    expectJson(await del(recordsPath('Contacts', D.contactOf.peerA), 'peerB'), 200, {
      data: [deleted(D.contactOf.peerA)],
    });
    expectJson(await del(recordsPath('Contacts', D.contactOf.rep2), 'manager'), 200, {
      data: [deleted(D.contactOf.rep2)],
    });
  });

  it('answers the module checks first', async () => {
    expectJson(await del('/bigin/v2/Leads?ids=1'), 400, ERR.invalidModule);
    expectJson(await del('/bigin/v2/Projects/1'), 400, ERR.moduleNotSupported);
    expectJson(await call(t.url, 'POST', recordsPath('Contacts', D.contactOf.rep1)), 400, ERR.requestMethod);
  });
});

describe('cascade to attachments, restore and purge (D5)', () => {
  it('takes a record and its 3 attachments to the recycle bin at once; restore brings all four back', async () => {
    // One attachment was deleted on its own before: restoring the record must not bring it back.
    expectJson(
      await del(attachmentPath('Contacts', ids.lone, ids.loneEarlierDeleted)),
      200,
      deleteSuccess(ids.loneEarlierDeleted),
    );

    expectJson(await del(recordsPath('Contacts', ids.lone)), 200, { data: [deleted(ids.lone)] });
    expectNoContent(await call(t.url, 'GET', recordsPath('Contacts', ids.lone), admin));
    for (const a of ids.loneFiles) {
      expectJson(await del(attachmentPath('Contacts', ids.lone, a)), 400, ERR.recordNotFound);
      expect(await live(ids.lone, a)).toBeNull();
    }
    // An attachment that went with its record cannot come back without it.
    const attachmentDeps = {
      attachments: t.server.stores.metadata.attachments,
      clock: t.clock,
      retentionMs: t.config.recycleBinRetentionMs,
    };
    expect(await restoreAttachment(attachmentDeps, { orgId: D.org, attachmentId: ids.loneFiles[0]! })).toBe(
      false,
    );
    const list = await call(t.url, 'GET', '/bigin/v2/Contacts?fields=Last_Name', admin);
    expect((list.json as { data: Array<{ id: string }> }).data.map((r) => r.id)).not.toContain(ids.lone);

    expect(await restore(ids.lone)).toEqual({ records: 1, attachments: 3 });
    expect((await call(t.url, 'GET', recordsPath('Contacts', ids.lone), admin)).status).toBe(200);
    for (const a of ids.loneFiles) expect(await live(ids.lone, a)).not.toBeNull();
    expect(await live(ids.lone, ids.loneEarlierDeleted)).toBeNull();
    expectJson(
      await del(attachmentPath('Contacts', ids.lone, ids.loneFiles[0]!)),
      200,
      deleteSuccess(ids.loneFiles[0]!),
    );
    // A restored record is live again: restoring twice does nothing.
    expect(await restore(ids.lone)).toBeNull();
  });

  it('takes a company with its contacts, their notes and every attachment of them; restore brings exactly those back', async () => {
    expectJson(await del(recordsPath('Accounts', ids.company)), 200, { data: [deleted(ids.company)] });
    for (const [module, id] of [
      ['Accounts', ids.company],
      ['Contacts', ids.c1],
      ['Contacts', ids.c2],
      ['Notes', ids.noteOnC1],
      ['Notes', ids.noteOnCompany],
    ] as const)
      expectNoContent(await call(t.url, 'GET', recordsPath(module, id), admin));
    expect((await call(t.url, 'GET', recordsPath('Contacts', ids.other), admin)).status).toBe(200);
    expectJson(
      await del(attachmentPath('Accounts', ids.company, ids.companyFiles[0]!)),
      400,
      ERR.recordNotFound,
    );
    expectJson(await del(attachmentPath('Contacts', ids.c1, ids.c1File)), 400, ERR.recordNotFound);
    expectJson(await del(attachmentPath('Notes', ids.noteOnC1, ids.noteFile)), 400, ERR.recordNotFound);
    // A cascaded contact is not in the recycle bin on its own.
    expect(await restore(ids.c1)).toBeNull();

    expect(await restore(ids.company)).toEqual({ records: 5, attachments: 5 });
    const one = await call(t.url, 'GET', `${recordsPath('Contacts', ids.c1)}?fields=Account_Name`, admin);
    expectJson(one, 200, { data: [{ id: ids.c1, Account_Name: { name: 'Cascade Co', id: ids.company } }] });
    for (const a of ids.companyFiles) expect(await live(ids.company, a)).not.toBeNull();
    expect(await live(ids.c1, ids.c1File)).not.toBeNull();
    expect(await live(ids.noteOnC1, ids.noteFile)).not.toBeNull();
  });

  it('takes notes added through the API with their parent', async () => {
    const parent = idOf(
      await sendJsonBody(t.url, 'POST', recordsPath('Pipelines'), admin, {
        data: [
          { Deal_Name: 'With notes', Pipeline: { name: 'Sales' }, Sub_Pipeline: 'Standard', Stage: 'Won' },
        ],
      }),
    );
    const note = idOf(
      await sendJsonBody(t.url, 'POST', `/bigin/v2/Pipelines/${parent}/Notes`, admin, {
        data: [{ Note_Content: 'n' }],
      }),
    );
    expectJson(await del(recordsPath('Pipelines', parent)), 200, { data: [deleted(parent)] });
    expectNoContent(await call(t.url, 'GET', recordsPath('Notes', note), admin));
    expect(await restore(parent)).toEqual({ records: 2, attachments: 0 });
    expect((await call(t.url, 'GET', recordsPath('Notes', note), admin)).status).toBe(200);
  });

  it('purges rows and bytes after retention, and nothing can be restored then', async () => {
    const files = ids.loneFiles.slice(1);
    expectJson(await del(recordsPath('Contacts', ids.lone)), 200, { data: [deleted(ids.lone)] });
    t.clock.advance(t.config.recycleBinRetentionMs - 1);
    try {
      await t.server.purgeNow();
      for (const a of files) expect(await t.server.stores.blobs.stat(blobKeyFor(D.org, a))).not.toBeNull();
      t.clock.advance(2);
      await t.server.purgeNow();
      for (const a of [...ids.loneFiles, ids.loneEarlierDeleted])
        expect(await t.server.stores.blobs.stat(blobKeyFor(D.org, a))).toBeNull();
      expect(
        await t.server.stores.metadata.attachments.existingIds(D.org, [
          ...ids.loneFiles,
          ids.loneEarlierDeleted,
        ]),
      ).toEqual(new Set());
      expect(
        await sqlRows(t, 'SELECT id FROM records WHERE org_id = ? AND id = ?', [D.org, ids.lone]),
      ).toEqual([]);
      expect(await restore(ids.lone)).toBeNull();
      // Live records and their attachments are untouched by the purge.
      expect(await live(ids.company, ids.companyFiles[1]!)).not.toBeNull();
    } finally {
      t.clock.set(TEST_EPOCH);
    }
  });

  it('keeps a record restorable for the whole retention period', async () => {
    const id = idOf(
      await sendJsonBody(t.url, 'POST', recordsPath('Contacts'), admin, {
        data: [{ Last_Name: 'Late restore' }],
      }),
    );
    expectJson(await del(recordsPath('Contacts', id)), 200, { data: [deleted(id)] });
    t.clock.advance(59 * DAY);
    try {
      expect(await restore(id)).toEqual({ records: 1, attachments: 0 });
    } finally {
      t.clock.set(TEST_EPOCH);
    }
  });

  it('restores with the admin command, which finds the organisation from the record id', async () => {
    const id = idOf(
      await sendJsonBody(t.url, 'POST', recordsPath('Contacts'), admin, { data: [{ Last_Name: 'Via CLI' }] }),
    );
    expectJson(await del(recordsPath('Contacts', id)), 200, { data: [deleted(id)] });
    // The command runs on the system clock; the test server's clock sits at TEST_EPOCH, so give
    // the command a retention long enough to reach back to it.
    // It also needs the server's storage settings (PostgreSQL and S3 on the scale-out backend).
    const env = { ...t.storageEnv, RECYCLE_BIN_RETENTION_DAYS: '36500' };
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    const out: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    try {
      const program = new Command('bigin-server').exitOverride();
      registerAdminCommands(program);
      await program.parseAsync(['admin', '--data-dir', t.dataDir, 'recycle-bin', 'restore-record', id], {
        from: 'user',
      });
    } finally {
      write.mockRestore();
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    expect(JSON.parse(out.join(''))).toEqual({ restored: true, recordId: id, records: 1, attachments: 0 });
    expect((await call(t.url, 'GET', recordsPath('Contacts', id), admin)).status).toBe(200);
  });
});
