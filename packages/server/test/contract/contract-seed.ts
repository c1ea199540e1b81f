import { formatId } from '../../src/domain/ids.js';
import { PROFILE_TEMPLATES } from '../../src/domain/permissions.js';
import type { AttachmentRow, SeedData } from '../../src/domain/ports.js';

/** A store implementation under test: `open` may be called several times on the same data. */
export interface StoreBacking<T> {
  /** A new instance on the same underlying data (a second "node"). */
  open(): Promise<T>;
  /** Removes the underlying data; every opened instance is closed first by the suite. */
  dispose(): Promise<void>;
}

export const T0 = Date.parse('2026-01-15T10:00:00Z');
export const DAY = 86_400_000;

/**
 * One organisation with a three-level role chain, two users, a token, two live records and a
 * deleted one, and `attachmentCount` live file attachments on the first record. Ids are minted
 * under the organisation's prefix so that import must move the sequence past them.
 */
export function contractSeed(
  prefix = '4200001',
  options: { attachmentCount?: number; orgIndex?: number } = {},
) {
  const id = (n: number) => formatId(prefix, n);
  const org = id(1);
  const role = { top: id(2), middle: id(3), bottom: id(4) };
  const profile = { admin: id(5), standard: id(6) };
  const user = { boss: id(7), rep: id(8) };
  const record = { live: id(9), other: id(10), deleted: id(11) };
  const count = options.attachmentCount ?? 5;
  const attachmentIds = Array.from({ length: count }, (_, i) => id(100 + i));
  const tokenHash = `hash-${prefix}`;
  const attachment = (attId: string, i: number): AttachmentRow => ({
    orgId: org,
    id: attId,
    recordId: record.live,
    module: 'Contacts',
    kind: i % 2 === 0 ? 'file' : 'link',
    fileName: `file-${i}.txt`,
    contentType: i % 2 === 0 ? 'text/plain' : null,
    size: i % 2 === 0 ? 10 + i : 0,
    blobKey: i % 2 === 0 ? `${org}/blob/${attId}` : null,
    linkUrl: i % 2 === 0 ? null : `https://example.com/${i}`,
    sha256: i % 2 === 0 ? 'ab'.repeat(32) : null,
    ownerId: user.rep,
    createdBy: user.rep,
    modifiedBy: user.boss,
    createdAt: T0 - 1000 + i,
    modifiedAt: T0 + i,
    deletedAt: null,
    deletedBy: null,
  });
  const data: SeedData = {
    clients: [
      {
        id: `client-${prefix}`,
        name: 'Client',
        secretHash: 'secret-hash',
        redirectUris: ['https://example.com/cb'],
        createdAt: T0,
      },
    ],
    organizations: [
      {
        id: org,
        name: `Org ${prefix}`,
        dataCenter: 'eu',
        idPrefix: prefix,
        disabledModules: ['Products'],
        createdAt: T0,
      },
    ],
    profiles: [
      {
        orgId: org,
        id: profile.admin,
        name: 'Administrator',
        admin: true,
        permissions: structuredClone(PROFILE_TEMPLATES.Administrator.permissions),
      } as SeedData['profiles'][number],
      {
        orgId: org,
        id: profile.standard,
        name: 'Standard',
        admin: false,
        permissions: structuredClone(PROFILE_TEMPLATES.Standard.permissions),
      } as SeedData['profiles'][number],
    ],
    roles: [
      { orgId: org, id: role.top, name: 'Top', reportsTo: null, shareWithPeers: false },
      { orgId: org, id: role.middle, name: 'Middle', reportsTo: role.top, shareWithPeers: true },
      { orgId: org, id: role.bottom, name: 'Bottom', reportsTo: role.middle, shareWithPeers: false },
    ],
    users: [
      {
        orgId: org,
        id: user.boss,
        name: 'Boss',
        email: 'boss@example.com',
        profileId: profile.admin,
        roleId: role.top,
        active: true,
        timeZone: 'Europe/Paris',
      },
      {
        orgId: org,
        id: user.rep,
        name: 'Rep',
        email: 'rep@example.com',
        profileId: profile.standard,
        roleId: role.bottom,
        active: false,
        timeZone: 'UTC',
      },
    ],
    tokens: [
      {
        hash: tokenHash,
        orgId: org,
        userId: user.rep,
        clientId: `client-${prefix}`,
        scopes: 'ZohoBigin.modules.ALL',
        dataCenter: 'eu',
        expiresAt: T0 + DAY,
        revokedAt: T0 - 5,
        createdAt: T0,
      },
    ],
    records: [
      {
        orgId: org,
        id: record.live,
        module: 'Contacts',
        name: 'Live',
        ownerId: user.rep,
        createdAt: T0,
        modifiedAt: T0,
        deletedAt: null,
      },
      {
        orgId: org,
        id: record.other,
        module: 'Pipelines',
        name: 'Other',
        ownerId: user.boss,
        createdAt: T0,
        modifiedAt: T0,
        deletedAt: null,
      },
      {
        orgId: org,
        id: record.deleted,
        module: 'Contacts',
        name: 'Gone',
        ownerId: user.rep,
        createdAt: T0,
        modifiedAt: T0,
        deletedAt: T0,
      },
    ],
    attachments: attachmentIds.map(attachment),
  };
  return {
    prefix,
    org,
    role,
    profile,
    user,
    record,
    attachmentIds,
    tokenHash,
    data,
    lastSeq: 100 + count - 1,
  };
}
