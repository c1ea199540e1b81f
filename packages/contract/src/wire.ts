/** A whole-request error: exactly these four keys. */
export interface ErrorBody {
  code: string;
  details: Record<string, unknown>;
  message: string;
  status: 'error';
}

/** One per-item result inside `data`. */
export interface ItemResult<TDetails = Record<string, unknown>> {
  code: string;
  details: TDetails;
  message: string;
  status: 'success' | 'error';
}

export interface ItemResults<TDetails = Record<string, unknown>> {
  data: ItemResult<TDetails>[];
}

export type DeleteAttachmentResponse = ItemResults<{ id: string }>;

/** Ids are decimal strings of 1 to 19 digits; they exceed 2^53, so never numbers. */
export const ID_PATTERN = /^[0-9]{1,19}$/;

export function isId(value: string): boolean {
  return ID_PATTERN.test(value);
}

/** `{name, id}` of a user, as in upload results. */
export interface UserLookup {
  name: string;
  id: string;
}

/** `{name, id, email}` of a user, as in attachment listings. */
export interface UserLookupWithEmail extends UserLookup {
  email: string;
}

/** `data[0].details` of a successful upload. Times are ISO-8601 with the caller's offset. */
export interface UploadAttachmentDetails {
  id: string;
  Created_Time: string;
  Modified_Time: string;
  Created_By: UserLookup;
  Modified_By: UserLookup;
}

export type UploadAttachmentResponse = ItemResults<UploadAttachmentDetails>;

/** One item of `GET …/Attachments`, keys in the order they are sent. */
export interface AttachmentListItem {
  id: string;
  File_Name: string;
  /** Bytes, as a decimal string; "0" for links. */
  Size: string;
  $type: 'File' | 'Link URL';
  /** The link of a link attachment; null for files. */
  $link_url: string | null;
  $se_module: string;
  $editable: boolean;
  /** Opaque id of a file's bytes; null for links. */
  $file_id: string | null;
  Parent_Id: { name: string; id: string };
  Owner: UserLookupWithEmail;
  Created_By: UserLookupWithEmail;
  Modified_By: UserLookupWithEmail;
  Created_Time: string;
  Modified_Time: string;
}

export type AttachmentListField = keyof AttachmentListItem;

/** Every item key, in wire order; `fields` may name any subset (`id` is always sent). */
export const ATTACHMENT_LIST_FIELDS: readonly AttachmentListField[] = [
  'id',
  'File_Name',
  'Size',
  '$type',
  '$link_url',
  '$se_module',
  '$editable',
  '$file_id',
  'Parent_Id',
  'Owner',
  'Created_By',
  'Modified_By',
  'Created_Time',
  'Modified_Time',
];

export interface ListInfo {
  per_page: number;
  count: number;
  page: number;
  more_records: boolean;
}

/** A page of attachments. An empty page is not this: it is HTTP 204 with no body. */
export interface ListAttachmentsResponse {
  data: Array<Partial<AttachmentListItem> & { id: string }>;
  info: ListInfo;
}

/** Largest and default `per_page` of list calls. */
export const MAX_PER_PAGE = 200;
