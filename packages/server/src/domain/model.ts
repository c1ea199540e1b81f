import type { DataCenterId, ModuleApiName } from '@bigin-attachments/contract';

export interface ModulePermissions {
  view: boolean;
  create: boolean;
  edit: boolean;
  delete: boolean;
}

/** The Files basic permission of a Bigin profile, which governs attachments. */
export interface FilesPermissions {
  view: boolean;
  create: boolean;
  delete: boolean;
}

export interface ProfilePermissions {
  modules: Record<ModuleApiName, ModulePermissions>;
  files: FilesPermissions;
}

export interface Profile {
  id: string;
  name: string;
  /** Administrators see every record of the organisation regardless of ownership. */
  admin: boolean;
  permissions: ProfilePermissions;
}

export interface Role {
  id: string;
  name: string;
  reportsTo: string | null;
  shareWithPeers: boolean;
}

/** Who is calling, as established from a valid access token. */
export interface Principal {
  orgId: string;
  dataCenter: DataCenterId;
  disabledModules: ReadonlySet<string>;
  userId: string;
  userName: string;
  roleId: string;
  profile: Profile;
  /** Normalised (lower-case) scopes of the token. */
  scopes: ReadonlySet<string>;
  tokenHash: string;
  /** When the access token expires (ms): Bigin's `x-accesstoken-reset` header shows it. */
  tokenExpiresAt: number;
}

export interface RecordRef {
  id: string;
  module: ModuleApiName;
  name: string;
  ownerId: string;
  ownerRoleId: string;
}
