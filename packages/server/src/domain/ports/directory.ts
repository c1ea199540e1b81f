import type { OrgCustomization } from '../metadata/field-model.js';
import type { Profile, Role } from '../model.js';

// The organisation's directory: users, roles, profiles and metadata.

/** Users API details of a user, kept as given (decimal strings, ISO times); see domain/directory. */
export type UserDetails = Record<string, unknown>;

export interface DirectoryUser {
  id: string;
  name: string;
  email: string;
  profileId: string;
  roleId: string;
  active: boolean;
  timeZone: string;
  details: UserDetails;
}

/** The organisation's directory and metadata, as the Users, Org and settings APIs read them. */
export interface DirectoryRepository {
  /** Every user of the organisation, ids ascending (as numbers). */
  users(orgId: string): Promise<DirectoryUser[]>;
  /** The organisation, or null. `details` is {} when none were given. */
  organization(orgId: string): Promise<{
    id: string;
    name: string;
    idPrefix: string;
    createdAt: number;
    details: Record<string, unknown>;
  } | null>;
  /** Profiles and roles, ids ascending. */
  profiles(orgId: string): Promise<Profile[]>;
  roles(orgId: string): Promise<Role[]>;
  /** Custom fields and layouts; no custom fields and no layouts when none were declared. */
  customization(orgId: string): Promise<OrgCustomization>;
  /**
   * Adds a user without a password (POST /users). Resolves false, changing nothing, when the
   * organisation already has a user with that id. The profile and role must be the org's.
   */
  insertUser(orgId: string, user: DirectoryUser): Promise<boolean>;
  /**
   * Replaces a user's name, email, profile, role, active flag, time zone and details (PUT and
   * DELETE /users; a deleted user keeps its row with `details.deleted`). Resolves false when the
   * organisation has no such user. The password, if any, is kept. Tokens of a user made inactive
   * stop authenticating at once (the token cache is keyed to the users table).
   */
  updateUser(orgId: string, user: DirectoryUser): Promise<boolean>;
}

export interface RoleRepository {
  find(orgId: string, roleId: string): Promise<Role | null>;
  /** The roles above `roleId`, nearest first (empty for a top role or an unknown one). */
  ancestors(orgId: string, roleId: string): Promise<string[]>;
}
