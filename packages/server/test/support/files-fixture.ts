import { FAR_FUTURE, FULL_DELETE_SCOPE, type OrgIds, orgFixture, orgIds } from './fixtures.js';

/**
 * The standard organisation plus what the upload, list and download tests need: a profile
 * without the Files permissions, tokens holding each operation's scope pairs, a user in a
 * non-UTC time zone, a contact without attachments and one with 450 links.
 */
export interface FilesOrg {
  ids: OrgIds;
  user: { noFiles: string; india: string };
  profileNoFiles: string;
  emptyContact: string;
  pagingContact: string;
  /** The 450 links on pagingContact, newest first. */
  pagingLinks: string[];
  token: {
    noFiles: string;
    india: string;
    readPair: string;
    createPair: string;
    writePair: string;
    deletePair: string;
    modulesAllOnly: string;
    otherModulePair: string;
  };
}

export function filesOrg(base: number, tag: string): FilesOrg {
  const ids = orgIds(base, tag);
  const extra = (n: number) => `${base}${String(900_000_000 + n).padStart(12, '0')}`;
  const token = (name: string) =>
    `1000.${tag.padEnd(8, '0')}${name.padEnd(24, '0').slice(0, 24)}.eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee`;
  const org: FilesOrg = {
    ids,
    user: { noFiles: extra(1), india: extra(2) },
    profileNoFiles: extra(3),
    emptyContact: extra(4),
    pagingContact: extra(5),
    // Fixture attachments all share one creation time, so they come newest-id first.
    pagingLinks: Array.from({ length: 450 }, (_, i) => extra(1000 + i)).reverse(),
    token: {
      noFiles: token('nofiles'),
      india: token('india'),
      readPair: token('readpair'),
      createPair: token('createpair'),
      writePair: token('writepair'),
      deletePair: token('deletepair'),
      modulesAllOnly: token('modulesallonly'),
      otherModulePair: token('othermodule'),
    },
  };
  return org;
}

export function filesOrgFixture(o: FilesOrg, options: { dataCenter?: string } = {}) {
  const ids = o.ids;
  const fixture = orgFixture(ids, options);
  const tok = (token: string, user: string, scope: string) => ({ token, user, scope, expiresAt: FAR_FUTURE });
  fixture.profiles.push({
    id: o.profileNoFiles,
    name: 'No Files',
    template: 'Administrator',
    files: { view: false, create: false, delete: true },
  } as (typeof fixture.profiles)[number]);
  fixture.users.push(
    {
      id: o.user.noFiles,
      name: 'No Files User',
      email: 'nofiles@example.com',
      profile: 'No Files',
      role: 'CEO',
    },
    {
      id: o.user.india,
      name: 'Priya Raman',
      email: 'priya@example.com',
      profile: 'Administrator',
      role: 'CEO',
      timeZone: 'Asia/Kolkata',
    } as (typeof fixture.users)[number],
  );
  const admin = ids.user.admin;
  fixture.tokens.push(
    tok(o.token.noFiles, o.user.noFiles, FULL_DELETE_SCOPE),
    tok(o.token.india, o.user.india, FULL_DELETE_SCOPE),
    tok(o.token.readPair, admin, 'ZohoBigin.modules.contacts.READ,ZohoBigin.modules.attachments.READ'),
    tok(o.token.createPair, admin, 'ZohoBigin.modules.contacts.CREATE,ZohoBigin.modules.attachments.CREATE'),
    tok(o.token.writePair, admin, 'zohobigin.modules.CONTACTS.write,ZohoBigin.modules.attachments.WRITE'),
    tok(o.token.deletePair, admin, 'ZohoBigin.modules.contacts.DELETE,ZohoBigin.modules.attachments.DELETE'),
    tok(o.token.modulesAllOnly, admin, 'ZohoBigin.modules.ALL'),
    tok(o.token.otherModulePair, admin, 'ZohoBigin.modules.accounts.ALL,ZohoBigin.modules.attachments.ALL'),
  );
  fixture.records.push(
    { id: o.emptyContact, module: 'Contacts', name: 'Empty Contact', owner: ids.user.rep1 },
    { id: o.pagingContact, module: 'Contacts', name: 'Paging Contact', owner: ids.user.rep1 },
  );
  fixture.attachments.push(
    ...([...o.pagingLinks].reverse().map((id, i) => ({
      id,
      record: o.pagingContact,
      fileName: `link ${i}`,
      linkUrl: `https://example.com/${i}`,
    })) as unknown as typeof fixture.attachments),
  );
  return fixture;
}
