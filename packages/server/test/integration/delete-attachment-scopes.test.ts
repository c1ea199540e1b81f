import { ATTACHMENT_MODULE_API_NAMES, findModule } from '@bigin-attachments/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, deleteSuccess, ERR, JSON_TYPE } from '../support/bigin.js';
import { attachmentPath, FAR_FUTURE, orgFixture, orgIds } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

// D3: a token must hold one module-side and one attachments-side scope of the pairs the spec lists
// for DELETE. Every pair succeeds; everything short of a pair is OAUTH_SCOPE_MISMATCH.

const A = orgIds(4444444, 'dddd');
const MODULES_WITH_RECORDS = { Contacts: A.contactOf.admin, ...A.recordIn } as Record<string, string>;

/** The six pairs from the spec, with {module_name} filled in. */
function specPairs(scopeName: string): string[] {
  return [
    'ZohoBigin.modules.ALL,ZohoBigin.modules.attachments.ALL',
    'ZohoBigin.modules.ALL,ZohoBigin.modules.attachments.DELETE',
    `ZohoBigin.modules.${scopeName}.ALL,ZohoBigin.modules.attachments.ALL`,
    `ZohoBigin.modules.${scopeName}.DELETE,ZohoBigin.modules.attachments.DELETE`,
    `ZohoBigin.modules.${scopeName}.ALL,ZohoBigin.modules.attachments.DELETE`,
    `ZohoBigin.modules.${scopeName}.DELETE,ZohoBigin.modules.attachments.ALL`,
  ];
}

const FAILING = (scopeName: string, other: string): Array<[string, string]> => [
  ['ZohoBigin.modules.ALL alone', 'ZohoBigin.modules.ALL'],
  ['the attachments scope alone', 'ZohoBigin.modules.attachments.ALL'],
  ['the module scope alone', `ZohoBigin.modules.${scopeName}.ALL`],
  ['a READ-only pair', `ZohoBigin.modules.${scopeName}.READ,ZohoBigin.modules.attachments.READ`],
  [
    'a module READ with attachments DELETE',
    `ZohoBigin.modules.${scopeName}.READ,ZohoBigin.modules.attachments.DELETE`,
  ],
  ['a CREATE pair', `ZohoBigin.modules.${scopeName}.CREATE,ZohoBigin.modules.attachments.CREATE`],
  ["another module's scope", `ZohoBigin.modules.${other}.ALL,ZohoBigin.modules.attachments.ALL`],
  ['unrelated scopes', 'ZohoBigin.users.ALL,ZohoBigin.settings.ALL'],
  ['a misspelt service', 'ZohoCRM.modules.ALL,ZohoCRM.modules.attachments.ALL'],
];

const tokens: Array<{ token: string; scope: string }> = [];
const tokenFor = (scope: string) => {
  const token = `1000.${String(tokens.length).padStart(32, '0')}.${'e'.repeat(32)}`;
  tokens.push({ token, scope });
  return token;
};

// Build every token up front so one fixture carries them all.
const cases = ATTACHMENT_MODULE_API_NAMES.map((module) => {
  const scopeName = findModule(module)!.scopeName;
  const other = scopeName === 'contacts' ? 'accounts' : 'contacts';
  return {
    module,
    passing: specPairs(scopeName).map((scope) => ({ scope, token: tokenFor(scope) })),
    failing: FAILING(scopeName, other).map(([name, scope]) => ({ name, scope, token: tokenFor(scope) })),
  };
});
const caseInsensitive = tokenFor('zohobigin.MODULES.contacts.delete , ZOHOBIGIN.modules.Attachments.Delete');

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({
    fixture: {
      organizations: [
        {
          ...orgFixture(A),
          tokens: tokens.map(({ token, scope }) => ({
            token,
            scope,
            user: A.user.admin,
            expiresAt: FAR_FUTURE,
          })),
        },
      ],
    },
  });
});
afterAll(() => t?.close());

describe.each(cases)('$module', ({ module, passing, failing }) => {
  const recordId = MODULES_WITH_RECORDS[module]!;
  // Each successful pair deletes one attachment, so probe with a missing id: a scope failure
  // answers 401 before the attachment is looked up, a scope pass reaches row 12.
  const probe = attachmentPath(module, recordId, '4444444999999999999');

  it.each(passing)('accepts $scope', async ({ token }) => {
    const res = await call(t.url, 'DELETE', probe, token);
    expect({ status: res.status, body: res.json }).toEqual({ status: 400, body: ERR.attachmentNotFound });
  });

  it.each(failing)('refuses $name', async ({ token }) => {
    const res = await call(t.url, 'DELETE', probe, token);
    expect({ status: res.status, body: res.json, type: res.contentType }).toEqual({
      status: 401,
      body: ERR.scopeMismatch,
      type: JSON_TYPE,
    });
  });
});

it('matches scopes case-insensitively and tolerates spaces around commas', async () => {
  const id = A.attachmentOn[A.contactOf.admin]!;
  const res = await call(t.url, 'DELETE', attachmentPath('Contacts', A.contactOf.admin, id), caseInsensitive);
  expect({ status: res.status, body: res.json }).toEqual({ status: 200, body: deleteSuccess(id) });
});

it('checks the scope before the tab permission and the record', async () => {
  // A record that does not exist, with a token lacking the pair: the scope answer comes first.
  const token = cases[0]!.failing[0]!.token;
  const res = await call(t.url, 'DELETE', attachmentPath('Contacts', '1', '1'), token);
  expect(res.json).toEqual(ERR.scopeMismatch);
});
