import type { AttachmentModuleApiName, ModuleApiName } from '@bigin-attachments/contract';

export type {
  AttachmentModuleApiName,
  DataCenterId,
  ItemResult,
  ModuleApiName,
} from '@bigin-attachments/contract';

/** A Bigin module that has records (`Accounts` is Companies). */
export type Module = ModuleApiName;
/** A module whose records carry attachments. */
export type AttachmentModule = AttachmentModuleApiName;

/** Options every call accepts. */
export interface RequestOptions {
  /** Milliseconds to wait for an answer (for downloads: for the headers) per attempt. Default: the client's. */
  timeout?: number;
  /** Aborts the call, including any wait between retries. */
  signal?: AbortSignal;
  /** Retries for this call. Default: the client's (2). */
  maxRetries?: number;
  /** Extra request headers. */
  headers?: Record<string, string>;
}

export interface UserRef {
  name: string;
  id: string;
  email?: string;
}

/** One attachment as the list endpoint returns it (decision D6). */
export interface Attachment {
  id: string;
  File_Name: string;
  /** Bytes, as a decimal string. */
  Size: string;
  $type: 'File' | 'Link URL' | (string & {});
  $link_url: string | null;
  $se_module: string;
  $editable: boolean;
  $file_id: string | null;
  Parent_Id: { name: string; id: string };
  Owner: UserRef;
  Created_By: UserRef;
  Modified_By: UserRef;
  Created_Time: string;
  Modified_Time: string;
  [field: string]: unknown;
}

/** What an upload answers inside `data[0].details`. */
export interface UploadedAttachment {
  id: string;
  Created_Time: string;
  Modified_Time: string;
  Created_By: UserRef;
  Modified_By: UserRef;
  [field: string]: unknown;
}

export interface PageInfo {
  per_page: number;
  count: number;
  page: number;
  more_records: boolean;
  [key: string]: unknown;
}

export interface ListParams {
  /** Page number, from 1. */
  page?: number;
  /** Items per page (Bigin's maximum is 200). */
  perPage?: number;
  /** Field API names to return. */
  fields?: readonly string[];
}

/** A Bigin record: `id` plus field API names. */
export interface BiginRecord {
  id: string;
  [field: string]: unknown;
}

export interface RecordListParams extends ListParams {
  sortBy?: string;
  sortOrder?: 'asc' | 'desc';
}

/** A per-item result from a write, with its details typed. */
export interface WriteResult<TDetails = Record<string, unknown>> {
  code: string;
  details: TDetails;
  message: string;
  status: 'success' | 'error';
}

/** What POST /users takes (all but the optional keys required) and PUT /users may change. */
export interface UserInput {
  first_name: string;
  last_name: string;
  email: string;
  /** Role id (GET /settings/roles). */
  role: string;
  /** Profile id (GET /settings/profiles). */
  profile: string;
  /** IANA zone; only a user's own may be changed. */
  time_zone?: string;
  /** `en_US` form. */
  locale?: string;
  phone?: string | null;
  mobile?: string | null;
  country?: string | null;
}

/** `type` of GET /users. */
export type UserType =
  | 'AllUsers'
  | 'ActiveUsers'
  | 'DeactiveUsers'
  | 'ConfirmedUsers'
  | 'NotConfirmedUsers'
  | 'DeletedUsers'
  | 'ActiveConfirmedUsers'
  | 'AdminUsers'
  | 'ActiveConfirmedAdmins'
  | 'CurrentUser';

export interface UserListParams {
  type?: UserType;
  page?: number;
  perPage?: number;
  /** At most 100 user ids. */
  ids?: readonly string[];
}

/** A user as GET /users answers it (50 keys; the ones clients use most are typed). */
export interface BiginUser {
  id: string;
  full_name: string;
  first_name: string | null;
  last_name: string;
  email: string;
  zuid: string;
  status: 'active' | 'disabled' | 'deleted';
  confirm: boolean;
  time_zone: string;
  /** Milliseconds east of UTC. */
  offset: number;
  locale: string;
  role: { name: string | null; id: string };
  profile: { name: string | null; id: string };
  [key: string]: unknown;
}

/** GET /org's organisation (35 keys). */
export interface BiginOrg {
  id: string;
  company_name: string;
  time_zone: string;
  currency: string;
  primary_zuid: string | null;
  [key: string]: unknown;
}

export interface BiginProfile {
  id: string;
  name: string;
  display_label: string;
  [key: string]: unknown;
}

export interface BiginRole {
  id: string;
  name: string;
  reporting_to: { name: string; id: string } | null;
  share_with_peers: boolean;
  [key: string]: unknown;
}

/** One module of GET /settings/modules (43 keys). */
export interface ModuleMetadata {
  id: string;
  api_name: string;
  singular_label: string;
  plural_label: string;
  api_supported: boolean;
  [key: string]: unknown;
}

/** One field of GET /settings/fields (55–56 keys). */
export interface FieldMetadata {
  id: string;
  api_name: string;
  field_label: string;
  data_type: string;
  json_type: string;
  length: number;
  system_mandatory: boolean;
  custom_field: boolean;
  read_only: boolean;
  lookup: { api_name?: string; module?: { api_name: string; id: string } } & Record<string, unknown>;
  pick_list_values: Array<{ display_value: string; actual_value: string }>;
  [key: string]: unknown;
}

export interface BiginLayout {
  id: string;
  name: string;
  sections: Array<{ name: string; display_label: string; fields: FieldMetadata[] }>;
  [key: string]: unknown;
}

export interface BiginRelatedList {
  id: string;
  api_name: string;
  display_label: string;
  href: string;
  [key: string]: unknown;
}
