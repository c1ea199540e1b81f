import { isId } from '@bigin-attachments/contract';
import { errors } from '../errors.js';
import type { Principal } from '../model.js';
import type { AttachmentRepository, AttachmentRow } from '../ports.js';
import { type AttachmentAccessDeps, authorizeAttachmentAccess } from './authorize-attachment-access.js';
import { VIEW_RULE } from './list-attachments.js';

export interface DownloadAttachmentDeps extends AttachmentAccessDeps {
  attachments: AttachmentRepository;
}

/** A file attachment ready to stream. */
export type DownloadableFile = AttachmentRow & { kind: 'file'; blobKey: string };

/**
 * Finds the file to download (D6): the same checks as every attachment call, then the
 * attachment. Null for an id that is not a live attachment of that record (the answer is 204);
 * a link cannot be downloaded.
 */
export async function findDownload(
  deps: DownloadAttachmentDeps,
  principal: Principal,
  input: { module: string; recordId: string; attachmentId: string },
): Promise<DownloadableFile | null> {
  const { record } = await authorizeAttachmentAccess(deps, principal, input, VIEW_RULE);
  if (!isId(input.attachmentId)) return null;
  const row = await deps.attachments.findLive(principal.orgId, record.id, input.attachmentId);
  if (!row) return null;
  if (row.kind !== 'file' || row.blobKey === null) throw errors.downloadNotAllowed();
  return row as DownloadableFile;
}
