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
