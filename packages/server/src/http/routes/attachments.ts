import type { FastifyInstance } from 'fastify';
import { deleteAttachment } from '../../domain/attachments/delete-attachment.js';
import { findDownload } from '../../domain/attachments/download-attachment.js';
import { listAttachments } from '../../domain/attachments/list-attachments.js';
import { authorizeUpload, uploadAttachment } from '../../domain/attachments/upload-attachment.js';
import type { Clock } from '../../domain/clock.js';
import type { BlobStore, MetadataStore } from '../../domain/ports.js';
import { API_VERSIONS } from '../api-version.js';
import type { DataCenterResolver } from '../app.js';
import { parseRange } from '../byte-range.js';
import { contentDisposition } from '../content-disposition.js';
import { MultipartForm } from '../multipart-form.js';
import { sendJson, sendNoContent } from '../wire.js';
import { createRouteTable } from './route-table.js';

export interface AttachmentRouteDeps {
  metadata: MetadataStore;
  blobs: BlobStore;
  clock: Clock;
  resolveDataCenter: DataCenterResolver;
  uploadMaxBytes: number;
}

/** Parts an upload form may have: a file, a link, a title, and room for fields clients add. */
const MAX_FORM_PARTS = 20;

interface AttachmentParams {
  module: string;
  recordId: string;
  attachmentId: string;
}

/**
 * Attachment routes. Each path is registered for every method, so that a known path with a
 * method it does not serve answers INVALID_REQUEST_METHOD (D4 row 2) and not a 404; the method
 * check comes before authentication, as the decision table orders them.
 */
export function registerAttachmentRoutes(app: FastifyInstance, deps: AttachmentRouteDeps): void {
  const deleteDeps = {
    records: deps.metadata.records,
    roles: deps.metadata.roles,
    attachments: deps.metadata.attachments,
    clock: deps.clock,
  };

  const accessDeps = { records: deps.metadata.records, roles: deps.metadata.roles };
  const uploadDeps = {
    ...accessDeps,
    catalog: deps.metadata.attachmentCatalog,
    seed: deps.metadata.seed,
    blobs: deps.blobs,
    blobJournal: deps.metadata.blobJournal,
    clock: deps.clock,
    maxBytes: deps.uploadMaxBytes,
  };
  const listDeps = { ...accessDeps, catalog: deps.metadata.attachmentCatalog };
  const downloadDeps = { ...accessDeps, attachments: deps.metadata.attachments };

  // The same routes on v1 and v2 (docs/v1.md).
  for (const version of API_VERSIONS) {
    const route = createRouteTable(app, {
      auth: deps.metadata.auth,
      clock: deps.clock,
      resolveDataCenter: deps.resolveDataCenter,
      version,
    });

    route(`${version.prefix}/:module/:recordId/Attachments`, {
      GET: async (request, reply, principal) => {
        const params = request.params as AttachmentParams;
        const page = await listAttachments(listDeps, principal, {
          ...params,
          query: request.query as Record<string, unknown>,
        });
        if (!page) {
          request.outcome = 'D6 list: no attachments on this page';
          return sendNoContent(reply);
        }
        return sendJson(reply, 200, { ...page, info: version.listInfo(page.info) });
      },
      POST: async (request, reply, principal) => {
        const params = request.params as AttachmentParams;
        // Every D4 check runs on the headers alone, before any byte of the body is read.
        const target = await authorizeUpload(accessDeps, principal, params);
        const form = MultipartForm.open(request.raw, { maxParts: MAX_FORM_PARTS });
        try {
          const details = await uploadAttachment(uploadDeps, principal, target, form.parts(), {
            signal: form.signal,
          });
          return sendJson(reply, 200, {
            data: [
              { code: 'SUCCESS', details, message: 'attachment uploaded successfully', status: 'success' },
            ],
          });
        } catch (error) {
          throw await form.explain(error);
        } finally {
          form.close();
        }
      },
    });

    route(`${version.prefix}/:module/:recordId/Attachments/:attachmentId`, {
      GET: async (request, reply, principal) => {
        const params = request.params as AttachmentParams;
        const file = await findDownload(downloadDeps, principal, params);
        if (!file) {
          request.outcome = 'D6 download: no such attachment';
          // A file endpoint, not a JSON one: its "nothing" carries no JSON headers.
          return reply.code(204).send();
        }
        const range = parseRange(request.headers.range, file.size);
        reply.header('accept-ranges', 'bytes');
        if (range.kind === 'unsatisfiable') {
          request.outcome = 'D6 download: range not satisfiable';
          return reply.code(416).header('content-range', `bytes */${file.size}`).send();
        }
        const blob = await deps.blobs.get(file.blobKey, range.kind === 'range' ? { range: range.range } : {});
        reply
          .header('content-type', file.contentType ?? 'application/octet-stream')
          .header('content-disposition', contentDisposition(file.fileName))
          // The stored type came from the uploader; browsers must not second-guess it.
          .header('x-content-type-options', 'nosniff');
        if (range.kind === 'range') {
          const { start, end } = range.range;
          reply
            .code(206)
            .header('content-range', `bytes ${start}-${end}/${blob.size}`)
            .header('content-length', String(end - start + 1));
        } else {
          reply.code(200).header('content-length', String(blob.size));
        }
        return reply.send(blob.bytes ?? blob.body);
      },
      DELETE: async (request, reply, principal) => {
        const params = request.params as AttachmentParams;
        const { id } = await deleteAttachment(deleteDeps, principal, params);
        // `id` is 1-19 digits (checked by the domain), so it needs no escaping.
        return sendJson(
          reply,
          200,
          `{"data":[{"code":"SUCCESS","details":{"id":"${id}"},"message":"record deleted","status":"success"}]}`,
        );
      },
    });
  }
}
