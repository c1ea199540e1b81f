import { describe, expect, it } from 'vitest';
import type { Principal, RecordRef } from './model.js';
import { canAccessRecord, moduleAccessRefusal, PROFILE_TEMPLATES } from './permissions.js';

function principal(over: Partial<Principal> = {}): Principal {
  return {
    orgId: '1',
    dataCenter: 'us',
    disabledModules: new Set(),
    userId: 'u1',
    userName: 'U',
    roleId: 'r-manager',
    profile: { id: 'p', name: 'Standard', ...structuredClone(PROFILE_TEMPLATES.Standard) },
    scopes: new Set(),
    tokenHash: 'h',
    tokenExpiresAt: 0,
    ...over,
  };
}
const record = (ownerId: string, ownerRoleId: string): RecordRef => ({
  id: 'r',
  module: 'Contacts',
  name: 'n',
  ownerId,
  ownerRoleId,
});

describe('record visibility', () => {
  it('lets owners, superiors, sharing peers and administrators in', () => {
    expect(canAccessRecord(principal(), record('u1', 'r-x'), { shareWithPeers: false }, [])).toBe(true);
    expect(
      canAccessRecord(principal(), record('u2', 'r-rep'), { shareWithPeers: false }, ['r-manager', 'r-ceo']),
    ).toBe(true);
    expect(canAccessRecord(principal(), record('u2', 'r-manager'), { shareWithPeers: true }, ['r-ceo'])).toBe(
      true,
    );
    const admin = principal({
      profile: { id: 'a', name: 'Administrator', ...structuredClone(PROFILE_TEMPLATES.Administrator) },
    });
    expect(canAccessRecord(admin, record('u9', 'r-ceo'), { shareWithPeers: false }, [])).toBe(true);
  });

  it('keeps non-sharing peers, subordinates and other branches out', () => {
    expect(
      canAccessRecord(principal(), record('u2', 'r-manager'), { shareWithPeers: false }, ['r-ceo']),
    ).toBe(false);
    expect(canAccessRecord(principal(), record('u2', 'r-ceo'), { shareWithPeers: false }, [])).toBe(false);
    expect(canAccessRecord(principal(), record('u2', 'r-other'), { shareWithPeers: false }, ['r-ceo'])).toBe(
      false,
    );
  });
});

describe('tab permission', () => {
  it('refuses disabled modules and modules the profile cannot view', () => {
    expect(moduleAccessRefusal(principal(), 'Contacts')).toBeNull();
    expect(moduleAccessRefusal(principal({ disabledModules: new Set(['Contacts']) }), 'Contacts')).toMatch(
      /disabled/,
    );
    const p = principal();
    p.profile.permissions.modules.Contacts.view = false;
    expect(moduleAccessRefusal(p, 'Contacts')).toMatch(/cannot view/);
  });

  it('gives Standard everything but delete', () => {
    expect(PROFILE_TEMPLATES.Standard.permissions.files).toEqual({ view: true, create: true, delete: false });
    expect(PROFILE_TEMPLATES.Standard.permissions.modules.Contacts).toEqual({
      view: true,
      create: true,
      edit: true,
      delete: false,
    });
  });
});
