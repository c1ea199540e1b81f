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
