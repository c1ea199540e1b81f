import { createHash } from 'node:crypto';

/**
 * A record's `Record_Image` value: an opaque 64-hex-digit token that changes with every upload
 * (Bigin's own format is not recorded; D20). Records without a photo read null.
 */
export function recordImageToken(orgId: string, photoId: string): string {
  return createHash('sha256').update(`record-photo:${orgId}:${photoId}`).digest('hex');
}

/** Each record's token, from its live photo id. */
export function recordImages(orgId: string, photoIds: ReadonlyMap<string, string>): Map<string, string> {
  return new Map([...photoIds].map(([recordId, photoId]) => [recordId, recordImageToken(orgId, photoId)]));
}
