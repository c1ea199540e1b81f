/**
 * A standard organisation for tests, with every permission situation of the decision table.
 * `orgFixture(base)` builds the same shape under a different id base, so two organisations can
 * be compared id for id.
 */

export const FULL_DELETE_SCOPE = 'ZohoBigin.modules.ALL,ZohoBigin.modules.attachments.ALL';
export const FAR_FUTURE = '2099-01-01T00:00:00Z';

const USERS = [
  'admin',
  'manager',
  'rep1',
  'rep2',
  'peerA',
  'peerB',
  'standard',
  'noTab',
  'inactive',
] as const;
export type UserName = (typeof USERS)[number];

export interface OrgIds {
  org: string;
  user: Record<UserName, string>;
  role: { ceo: string; manager: string; sales: string; support: string };
  profile: { admin: string; standard: string; deleter: string; noContacts: string };
  /** Records, by owner. */
  contactOf: Record<'rep1' | 'rep2' | 'peerA' | 'manager' | 'admin', string>;
  /** A record in each attachment module, owned by rep1. */
  recordIn: Record<'Pipelines' | 'Accounts' | 'Products' | 'Tasks' | 'Events' | 'Notes', string>;
  callRecord: string;
  deletedContact: string;
  /** Attachments on rep1's contact. */
  attachment: string[];
  /** Attachment on each record of `contactOf` and `recordIn`. */
  attachmentOn: Record<string, string>;
  token: (user: UserName) => string;
}

export function orgIds(base: number, tokenTag: string): OrgIds {
  let n = 0;
  const id = () => `${base}${String(++n).padStart(12, '0')}`;
  const user = Object.fromEntries(USERS.map((u) => [u, id()])) as Record<UserName, string>;
  const ids: OrgIds = {
    org: id(),
    user,
    role: { ceo: id(), manager: id(), sales: id(), support: id() },
    profile: { admin: id(), standard: id(), deleter: id(), noContacts: id() },
    contactOf: { rep1: id(), rep2: id(), peerA: id(), manager: id(), admin: id() },
    recordIn: { Pipelines: id(), Accounts: id(), Products: id(), Tasks: id(), Events: id(), Notes: id() },
    callRecord: id(),
    deletedContact: id(),
    attachment: Array.from({ length: 20 }, id),
    attachmentOn: {},
    token: (u) =>
      `1000.${tokenTag.padEnd(8, '0')}${u.toLowerCase().padEnd(24, '0').slice(0, 24)}.ffffffffffffffffffffffffffffffff`,
  };
  for (const r of [...Object.values(ids.contactOf), ...Object.values(ids.recordIn), ids.callRecord])
    ids.attachmentOn[r] = id();
  return ids;
}

export function orgFixture(
  ids: OrgIds,
  options: { name?: string; dataCenter?: string; disabledModules?: string[]; extraTokens?: unknown[] } = {},
) {
  const u = ids.user;
  const userDef = (
    name: UserName,
    profile: string,
    role: string,
    extra: { active?: boolean; timeZone?: string } = {},
  ): {
    id: string;
    name: string;
    email: string;
    profile: string;
    role: string;
    active?: boolean;
    timeZone?: string;
  } => ({
    id: u[name],
    name,
    email: `${name}@${ids.org}.example.com`,
    profile,
    role,
    ...extra,
  });
  const rec = (id: string, module: string, owner: string, extra: object = {}) => ({
    id,
    module,
    name: `${module} ${id}`,
    owner,
    ...extra,
  });
  return {
    id: ids.org,
    name: options.name ?? `Org ${ids.org}`,
    dataCenter: options.dataCenter ?? 'us',
    disabledModules: options.disabledModules ?? [],
    profiles: [
      { id: ids.profile.admin, name: 'Administrator', template: 'Administrator' },
      { id: ids.profile.standard, name: 'Standard', template: 'Standard' },
      {
        id: ids.profile.deleter,
        name: 'Deleter',
        template: 'Standard',
        files: { delete: true },
      },
      {
        id: ids.profile.noContacts,
        name: 'No Contacts',
        template: 'Administrator',
        modules: { Contacts: { view: false } },
      },
    ],
    roles: [
      { id: ids.role.ceo, name: 'CEO', reportsTo: null },
      { id: ids.role.manager, name: 'Manager', reportsTo: ids.role.ceo },
      { id: ids.role.sales, name: 'Sales', reportsTo: ids.role.manager, shareWithPeers: false },
      { id: ids.role.support, name: 'Support', reportsTo: ids.role.manager, shareWithPeers: true },
    ],
    users: [
      userDef('admin', 'Administrator', 'CEO'),
      userDef('manager', 'Deleter', 'Manager'),
      userDef('rep1', 'Deleter', 'Sales'),
      userDef('rep2', 'Deleter', 'Sales'),
      userDef('peerA', 'Deleter', 'Support'),
      userDef('peerB', 'Deleter', 'Support'),
      userDef('standard', 'Standard', 'Sales'),
      userDef('noTab', 'No Contacts', 'CEO'),
      userDef('inactive', 'Administrator', 'CEO', { active: false }),
    ],
    tokens: [
      ...USERS.map((name) => ({
        token: ids.token(name),
        user: u[name],
        scope: FULL_DELETE_SCOPE,
        expiresAt: FAR_FUTURE,
      })),
      ...(options.extraTokens ?? []),
    ],
    records: [
      rec(ids.contactOf.rep1, 'Contacts', u.rep1),
      rec(ids.contactOf.rep2, 'Contacts', u.rep2),
      rec(ids.contactOf.peerA, 'Contacts', u.peerA),
      rec(ids.contactOf.manager, 'Contacts', u.manager),
      rec(ids.contactOf.admin, 'Contacts', u.admin),
      ...Object.entries(ids.recordIn).map(([module, id]) => rec(id, module, u.rep1)),
      rec(ids.callRecord, 'Calls', u.rep1),
      rec(ids.deletedContact, 'Contacts', u.rep1, { deleted: true }),
    ],
    attachments: [
      ...ids.attachment.map((id, i) => ({
        id,
        record: ids.contactOf.rep1,
        fileName: `file-${i}.txt`,
        contentType: 'text/plain',
        content: { text: `attachment ${i} of ${ids.org}\n` },
      })),
      ...Object.entries(ids.attachmentOn).map(([record, id]) => ({
        id,
        record,
        fileName: `on-${record}.txt`,
        content: { text: `on ${record}` },
      })),
    ],
  };
}

/** Path of the DELETE endpoint. */
export function attachmentPath(module: string, recordId: string, attachmentId: string): string {
  return `/bigin/v2/${module}/${recordId}/Attachments/${attachmentId}`;
}
