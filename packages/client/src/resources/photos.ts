import type { PhotoModuleApiName } from '@bigin-attachments/contract';
import { BiginError } from '../errors.js';
import { pathSegment } from '../internal/path-segment.js';
import type { JsonAnswer, Transport } from '../internal/transport.js';
import { type FileUpload, prepareUpload, type UploadSource } from '../internal/upload-body.js';
import type { RequestOptions } from '../types.js';
import { parseContentDisposition } from './attachments.js';

/** A module whose records have a photo. */
export type PhotoModule = PhotoModuleApiName;

/** Bigin's flat answer to a photo upload or delete (no `data` array). */
export interface PhotoResult {
  code: 'SUCCESS';
  details: Record<string, never>;
  message: string;
  status: 'success';
}

export interface PhotoDownload {
  /** The image, streamed. Read or cancel it. */
  body: ReadableStream<Uint8Array>;
  /** The stored type: `image/png`, `image/jpeg`, `image/gif` or `image/bmp`. */
  contentType: string;
  contentLength: number | undefined;
  /** The uploaded file's name, from `Content-Disposition`. */
  fileName: string | undefined;
  requestId: string | undefined;
}

export function recordPhotoPath(module: string, recordId: string): string {
  return `/bigin/v2/${pathSegment(module)}/${pathSegment(recordId)}/photo`;
}
const ORG_PHOTO_PATH = '/bigin/v2/org/photo';

/**
 * Record photos (Contacts, Accounts, Products) and the organisation's photo (docs/photos.md).
 * Uploads take what attachment uploads take except links; paths, bytes and Blobs are retried on
 * 429, streams are sent once.
 */
export class Photos {
  constructor(private readonly transport: Transport) {}

  /** Uploads (or replaces) a record's photo: PNG, JPEG, GIF or BMP, at most 10 MB and 10 MP. */
  async upload(
    module: PhotoModule,
    recordId: string,
    input: UploadSource | FileUpload,
    options?: RequestOptions,
  ): Promise<PhotoResult> {
    return this.#upload(recordPhotoPath(module, recordId), input, options);
  }

  /** A record's photo, streamed; null when the record has none (204). */
  async download(
    module: PhotoModule,
    recordId: string,
    options?: RequestOptions,
  ): Promise<PhotoDownload | null> {
    return this.#download(recordPhotoPath(module, recordId), options);
  }

  /** Deletes a record's photo; null when it had none (204). */
  async delete(module: PhotoModule, recordId: string, options?: RequestOptions): Promise<PhotoResult | null> {
    const answer = await this.transport.requestJson(
      { method: 'DELETE', path: recordPhotoPath(module, recordId) },
      options,
    );
    return answer.status === 204 ? null : flat(answer);
  }

  /** Uploads (or replaces) the organisation's photo (administrators; at most 1 MB). */
  async uploadOrg(input: UploadSource | FileUpload, options?: RequestOptions): Promise<PhotoResult> {
    return this.#upload(ORG_PHOTO_PATH, input, options);
  }

  /** The organisation's photo, streamed; null when it has none (204). */
  async downloadOrg(options?: RequestOptions): Promise<PhotoDownload | null> {
    return this.#download(ORG_PHOTO_PATH, options);
  }

  async #upload(path: string, input: UploadSource | FileUpload, options?: RequestOptions) {
    const answer = await this.transport.requestJson(
      { method: 'POST', path, body: () => prepareUpload(input) },
      options,
    );
    return flat(answer);
  }

  async #download(path: string, options?: RequestOptions): Promise<PhotoDownload | null> {
    const answer = await this.transport.requestStream(
      { method: 'GET', path, headers: { accept: '*/*' } },
      options,
    );
    if (!('response' in answer) || !answer.response.body) return null;
    const res = answer.response;
    const length = res.headers.get('content-length');
    return {
      body: res.body as ReadableStream<Uint8Array>,
      contentType: res.headers.get('content-type') ?? 'application/octet-stream',
      contentLength: length === null ? undefined : Number(length),
      fileName: parseContentDisposition(res.headers.get('content-disposition')),
      requestId: answer.requestId,
    };
  }
}

function flat(answer: JsonAnswer): PhotoResult {
  const body = answer.body as Partial<PhotoResult> | undefined;
  if (body?.status !== 'success' || body.code !== 'SUCCESS')
    throw new BiginError(`unexpected answer (HTTP ${answer.status}) to a photo call`);
  return body as PhotoResult;
}
