import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../domain/clock.js';
import { AppError } from '../../domain/errors.js';
import type { Principal } from '../../domain/model.js';
import {
  authorizeOrgPhoto,
  authorizeRecordPhoto,
  deletePhoto,
  findPhoto,
  ORG_PHOTO_MAX_BYTES,
  type PhotoDeps,
  type PhotoTarget,
  RECORD_PHOTO_MAX_BYTES,
  uploadPhoto,
} from '../../domain/photos/photos.js';
import type { BlobStore, MetadataStore } from '../../domain/ports.js';
import { API_VERSIONS } from '../api-version.js';
import type { DataCenterResolver } from '../app.js';
import { contentDisposition } from '../content-disposition.js';
import { MultipartForm } from '../multipart-form.js';
import { sendJson, sendNoContent } from '../wire.js';
import { createRouteTable } from './route-table.js';

export interface PhotoRouteDeps {
  metadata: MetadataStore;
  blobs: BlobStore;
  clock: Clock;
  resolveDataCenter: DataCenterResolver;
}

/** A photo form has one file; a few more parts leave room for fields clients add. */
const MAX_FORM_PARTS = 10;

// Bigin's photo answers are flat, without the `data` array of attachment answers (reference §14).
const UPLOADED = '{"code":"SUCCESS","details":{},"message":"photo uploaded successfully","status":"success"}';
const DELETED = '{"code":"SUCCESS","details":{},"message":"Photo deleted","status":"success"}';

/**
 * Record photos (`/{module}/{record_id}/photo`) and the organisation's (`/org/photo`), on v2 and
 * v1 (docs/photos.md, D20). The static `photo` segment outranks the related-list pattern, so no
 * edit of the records routes is needed.
 */
export function registerPhotoRoutes(app: FastifyInstance, deps: PhotoRouteDeps): void {
  const photoDeps: PhotoDeps = {
    records: deps.metadata.records,
    roles: deps.metadata.roles,
    photos: deps.metadata.recordPhotos,
    seed: deps.metadata.seed,
    blobs: deps.blobs,
    blobJournal: deps.metadata.blobJournal,
    clock: deps.clock,
  };
  const recordTarget = (request: FastifyRequest, principal: Principal, op: 'READ' | 'CREATE' | 'DELETE') =>
    authorizeRecordPhoto(photoDeps, principal, request.params as { module: string; recordId: string }, op);

  for (const version of API_VERSIONS) {
    const route = createRouteTable(app, {
      auth: deps.metadata.auth,
      clock: deps.clock,
      resolveDataCenter: deps.resolveDataCenter,
      version,
    });

    route(`${version.prefix}/:module/:recordId/photo`, {
      POST: async (request, reply, principal) => {
        // Every check runs on the headers alone, before any byte of the body is read.
        const target = await recordTarget(request, principal, 'CREATE');
        return upload(request, reply, principal, target, RECORD_PHOTO_MAX_BYTES);
      },
      GET: async (request, reply, principal) =>
        download(request, reply, await recordTarget(request, principal, 'READ')),
      DELETE: async (request, reply, principal) => {
        const target = await recordTarget(request, principal, 'DELETE');
        if (!(await deletePhoto(photoDeps, target))) {
          request.outcome = 'D20 photo: none to delete';
          return sendNoContent(reply);
        }
        return sendJson(reply, 200, DELETED);
      },
    });

    route(`${version.prefix}/org/photo`, {
      POST: async (request, reply, principal) =>
        upload(request, reply, principal, authorizeOrgPhoto(principal, 'CREATE'), ORG_PHOTO_MAX_BYTES),
      GET: async (request, reply, principal) =>
        download(request, reply, authorizeOrgPhoto(principal, 'READ')),
    });
  }

  async function upload(
    request: FastifyRequest,
    reply: FastifyReply,
    principal: Principal,
    target: PhotoTarget,
    maxBytes: number,
  ): Promise<FastifyReply> {
    let form: MultipartForm;
    try {
      form = MultipartForm.open(request.raw, { maxParts: MAX_FORM_PARTS });
    } catch (error) {
      // A body that is not a form holds no file: Zoho's photo answer for that, not the attachments'.
      if (error instanceof AppError && error.failure === 'MANDATORY_NOT_FOUND')
        throw new AppError('PHOTO_NO_FILE', `D20 photo-parts: ${error.check}`);
      throw error;
    }
    try {
      await uploadPhoto(photoDeps, principal, target, form.parts(), { maxBytes, signal: form.signal });
      return sendJson(reply, 200, UPLOADED);
    } catch (error) {
      throw await form.explain(error);
    } finally {
      form.close();
    }
  }

  async function download(request: FastifyRequest, reply: FastifyReply, target: PhotoTarget) {
    const photo = await findPhoto(photoDeps, target);
    if (!photo) return nothing(request, reply);
    const blob = await deps.blobs.get(photo.blobKey);
    return reply
      .code(200)
      .header('content-type', photo.contentType)
      .header('content-length', String(blob.size))
      .header('content-disposition', contentDisposition(photo.fileName))
      .header('x-content-type-options', 'nosniff')
      .send(blob.bytes ?? blob.body);
  }

  function nothing(request: FastifyRequest, reply: FastifyReply) {
    request.outcome = 'D20 photo: none';
    // A file endpoint's "nothing", as the attachment download's: no body, no JSON headers.
    return reply.code(204).send();
  }
}
