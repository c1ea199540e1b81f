import { isId } from '@bigin-attachments/contract';
import type { Clock } from '../clock.js';
import { errors } from '../errors.js';
import type { Principal } from '../model.js';
import type { AttachmentRepository } from '../ports.js';
import {
  type AttachmentAccessDeps,
  type AttachmentAccessRule,
  authorizeAttachmentAccess,
} from './authorize-attachment-access.js';

export interface DeleteAttachmentDeps extends AttachmentAccessDeps {
  attachments: AttachmentRepository;
  clock: Clock;
}

const DELETE_RULE: AttachmentAccessRule = {
  operation: 'DELETE',
  filesPermission: 'delete',
  recordNotAccessible: errors.recordNotAccessible,
};

/**
 * Moves an attachment to the organisation's recycle bin (D4, D5). No bytes are touched here:
 * the purge removes them after the retention period.
 */
export async function deleteAttachment(
  deps: DeleteAttachmentDeps,
  principal: Principal,
  input: { module: string; recordId: string; attachmentId: string },
): Promise<{ id: string }> {
  const { record } = await authorizeAttachmentAccess(deps, principal, input, DELETE_RULE);
  if (!isId(input.attachmentId)) throw errors.attachmentNotFound();
  const deleted = await deps.attachments.markDeleted({
    orgId: principal.orgId,
    recordId: record.id,
    attachmentId: input.attachmentId,
    deletedBy: principal.userId,
    at: deps.clock.now(),
  });
  if (!deleted) throw errors.attachmentNotFound();
  return { id: input.attachmentId };
}
