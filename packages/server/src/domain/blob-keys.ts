/**
 * Where an attachment's bytes live: derived from server-generated ids only, never from a file
 * name. The middle segment spreads one organisation's blobs over 1,000 folders.
 */
export function blobKeyFor(orgId: string, attachmentId: string): string {
  return `${orgId}/${attachmentId.slice(-3).padStart(3, '0')}/${attachmentId}`;
}
