import type { ModuleApiName } from '@bigin-attachments/contract';
import type { AttachmentRow } from '../../domain/ports.js';

/** A row as better-sqlite3 returns it; the typed readers below name what each column holds. */
export type Row = Record<string, unknown>;

export const str = (v: unknown): string => v as string;
export const num = (v: unknown): number => v as number;
export const numOrNull = (v: unknown): number | null => (v === null ? null : (v as number));
export const strOrNull = (v: unknown): string | null => (v === null ? null : (v as string));

/** An `attachments` row (every column selected) as the port's AttachmentRow. */
export function toAttachment(r: Row): AttachmentRow {
  return {
    orgId: str(r.org_id),
    id: str(r.id),
    recordId: str(r.record_id),
    module: str(r.module) as ModuleApiName,
    kind: str(r.kind) as AttachmentRow['kind'],
    fileName: str(r.file_name),
    contentType: strOrNull(r.content_type),
    size: num(r.size),
    blobKey: strOrNull(r.blob_key),
    linkUrl: strOrNull(r.link_url),
    sha256: strOrNull(r.sha256),
    ownerId: str(r.owner_id),
    createdBy: str(r.created_by),
    modifiedBy: str(r.modified_by),
    createdAt: num(r.created_at),
    modifiedAt: num(r.modified_at),
    deletedAt: numOrNull(r.deleted_at),
    deletedBy: strOrNull(r.deleted_by),
  };
}
