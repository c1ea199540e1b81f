import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../support/bigin.js';
import { orgFixture, orgIds } from '../support/fixtures.js';
import { expectJson, idOf, itemError, recordsPath, sendJsonBody } from '../support/records.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

// D23: a write's picklist value must be one of the field's values (standard and custom fields,
// multi-select too), else a per-item INVALID_DATA naming the field; a deal's pipeline and stage
// (not modelled) take any value.

const A = orgIds(7474747, 'pick');
const token = A.token('admin');
let t: TestServer;

beforeAll(async () => {
  t = await startTestServer({
    fixture: {
      organizations: [
        {
          ...orgFixture(A),
          customFields: [
            {
              module: 'Contacts',
              apiName: 'Tier',
              label: 'Tier',
              dataType: 'picklist',
              picklist: ['Gold', 'Silver'],
            },
            {
              module: 'Contacts',
              apiName: 'Hobbies',
              label: 'Hobbies',
              dataType: 'multiselectpicklist',
              picklist: ['Chess', 'Golf'],
            },
          ],
        },
      ],
    },
  });
});
afterAll(() => t?.close());

const write = (method: string, path: string, data: unknown[]) =>
  sendJsonBody(t.url, method, path, token, { data });
const refused = (apiName: string, index = 0) =>
  itemError('INVALID_DATA', 'invalid data', { api_name: apiName, json_path: `$.data[${index}].${apiName}` });

describe('picklists on insert', () => {
  it('accept a listed value and refuse an unlisted one, naming the field', async () => {
    const res = await write('POST', recordsPath('Tasks'), [
      { Subject: 'ok', Status: 'Deferred', Priority: 'High' },
      { Subject: 'bad', Status: 'Done' },
      { Subject: 'case', Priority: 'high' },
    ]);
    expect(res.status).toBe(207);
    const items = (res.json as { data: unknown[] }).data;
    expect(items[1]).toEqual(refused('Status', 1));
    expect(items[2]).toEqual(refused('Priority', 2));
    const id = (items[0] as { details: { id: string } }).details.id;
    const got = await call(t.url, 'GET', `${recordsPath('Tasks', id)}?fields=Status,Priority`, token);
    expectJson(got, 200, { data: [{ id, Status: 'Deferred', Priority: 'High' }] });
  });

  it("check a custom field's own values, and a non-string value", async () => {
    expectJson(await write('POST', recordsPath('Contacts'), [{ Last_Name: 'x', Tier: 'Bronze' }]), 400, {
      data: [refused('Tier')],
    });
    expectJson(await write('POST', recordsPath('Contacts'), [{ Last_Name: 'x', Tier: 1 }]), 400, {
      data: [refused('Tier')],
    });
    expect((await write('POST', recordsPath('Contacts'), [{ Last_Name: 'x', Tier: 'Gold' }])).status).toBe(
      201,
    );
  });

  it('check each value of a multi-select picklist', async () => {
    const ok = await write('POST', recordsPath('Contacts'), [{ Last_Name: 'm', Hobbies: ['Golf', 'Chess'] }]);
    expect(ok.status).toBe(201);
    const id = idOf(ok);
    const got = await call(t.url, 'GET', `${recordsPath('Contacts', id)}?fields=Hobbies`, token);
    expectJson(got, 200, { data: [{ id, Hobbies: ['Golf', 'Chess'] }] });
    for (const Hobbies of [['Golf', 'Tennis'], 'Golf'])
      expectJson(await write('POST', recordsPath('Contacts'), [{ Last_Name: 'm', Hobbies }]), 400, {
        data: [refused('Hobbies')],
      });
  });

  it("take any value for a deal's pipeline, sub-pipeline and stage", async () => {
    const res = await write('POST', recordsPath('Pipelines'), [
      { Deal_Name: 'open', Pipeline: { name: 'Partners' }, Sub_Pipeline: 'Resellers', Stage: 'Signed' },
    ]);
    expect(res.status).toBe(201);
  });
});

describe('picklists on update', () => {
  it('refuse an unlisted value and keep the stored one', async () => {
    const created = await write('POST', recordsPath('Tasks'), [{ Subject: 'u', Status: 'Completed' }]);
    const id = idOf(created);
    expectJson(await write('PUT', recordsPath('Tasks'), [{ id, Status: 'Finished' }]), 400, {
      data: [refused('Status')],
    });
    const got = await call(t.url, 'GET', `${recordsPath('Tasks', id)}?fields=Status`, token);
    expectJson(got, 200, { data: [{ id, Status: 'Completed' }] });
    // Clearing a picklist is not a value to check.
    expect((await write('PUT', recordsPath('Tasks'), [{ id, Status: null }])).status).toBe(200);
  });
});
