import { APIConnectionError, APIError, APIUserAbortError, BiginError } from '../errors.js';
import { pathSegment } from '../internal/path-segment.js';
import { sanitizedCause } from '../internal/redact.js';
import { itemError, type JsonAnswer, type Transport } from '../internal/transport.js';
import { prepareUpload, type UploadInput, type UploadProgressListener } from '../internal/upload-body.js';
import { emptyInfo, Page, type PageFetcher, PagePromise } from '../pagination.js';
import type {
  Attachment,
  AttachmentModule,
  ListParams,
  PageInfo,
  RequestOptions,
  UploadedAttachment,
  WriteResult,
} from '../types.js';

export interface UploadOptions extends RequestOptions {
  /**
   * Called as the file's bytes go out: `{ sent, total }` in bytes of the file, from 0 up to its
   * size. A retried upload (after a 429) counts from 0 again. Not called for links.
   */
  onProgress?: UploadProgressListener;
}

export interface DownloadOptions extends RequestOptions {
  /** Ask for bytes from `start` (inclusive) to `end` (inclusive, default: the end). */
  range?: { start: number; end?: number };
}

export interface AttachmentDownload {
  /** The bytes, streamed. Read or cancel it. */
  body: ReadableStream<Uint8Array>;
  /** From `Content-Disposition` (`filename*` preferred). */
  fileName: string | undefined;
  contentType: string;
  /** `Content-Length` of this answer (the range's length for a 206). */
  contentLength: number | undefined;
  /** 200 for the whole file, 206 for a range. */
  status: number;
  /** For 206: the range served and the whole file's size. */
  contentRange: { start: number; end: number; total: number | undefined } | undefined;
  requestId: string | undefined;
}

export interface DownloadToFileOptions extends RequestOptions {
  /** Continue a previous partial download (`<path>.part`) with a `Range` request. Default true. */
  resume?: boolean;
}

export interface DownloadedFile {
  path: string;
  bytes: number;
  /** Bytes that were already on disk from an earlier attempt. */
  resumedFrom: number;
  fileName: string | undefined;
}

const seg = pathSegment;

export function attachmentsPath(module: string, recordId: string, attachmentId?: string): string {
  const base = `/bigin/v2/${seg(module)}/${seg(recordId)}/Attachments`;
  return attachmentId === undefined ? base : `${base}/${seg(attachmentId)}`;
}

export class Attachments {
  constructor(private readonly transport: Transport) {}

  /** Deletes one attachment; resolves with Bigin's per-item result (`details.id`). */
  async delete(
    module: AttachmentModule,
    recordId: string,
    attachmentId: string,
    options?: RequestOptions,
  ): Promise<WriteResult<{ id: string }>> {
    const answer = await this.transport.requestJson(
      { method: 'DELETE', path: attachmentsPath(module, recordId, attachmentId) },
      options,
    );
    return firstItem(answer) as WriteResult<{ id: string }>;
  }

  /**
   * Lists a record's attachments. `await` it for one page (`page.data`, `page.info`,
   * `page.getNextPage()`), or `for await (const a of client.attachments.list(…))` for all of them.
   */
  list(
    module: AttachmentModule,
    recordId: string,
    params: ListParams = {},
    options?: RequestOptions,
  ): PagePromise<Attachment> {
    const fetchPage: PageFetcher<Attachment> = async ({ page, pageToken }) => {
      const perPage = params.perPage ?? 200;
      const query = pageToken
        ? { page_token: pageToken }
        : { fields: params.fields?.join(','), page, per_page: params.perPage };
      const answer = await this.transport.requestJson(
        { method: 'GET', path: attachmentsPath(module, recordId), query },
        options,
      );
      return toPage<Attachment>(answer, page, perPage, fetchPage);
    };
    return PagePromise.from(() => fetchPage({ page: params.page ?? 1 }));
  }

  /**
   * Uploads a file (path, bytes, Blob or stream) or attaches a link (`{ link, title }`).
   * Streams are sent as they are read and never retried; paths, bytes and Blobs are retried on 429.
   */
  async upload(
    module: AttachmentModule,
    recordId: string,
    input: UploadInput,
    options: UploadOptions = {},
  ): Promise<UploadedAttachment> {
    const { onProgress, ...rest } = options;
    const answer = await this.transport.requestJson(
      {
        method: 'POST',
        path: attachmentsPath(module, recordId),
        body: () => prepareUpload(input, onProgress),
      },
      rest,
    );
    return firstItem(answer).details as UploadedAttachment;
  }

  /**
   * Downloads an attachment as a stream. Resolves with null when Bigin answers 204 (no such
   * attachment on that record).
   */
  async download(
    module: AttachmentModule,
    recordId: string,
    attachmentId: string,
    options: DownloadOptions = {},
  ): Promise<AttachmentDownload | null> {
    const { range, ...rest } = options;
    const headers: Record<string, string> = { accept: '*/*' };
    if (range) headers.range = `bytes=${range.start}-${range.end ?? ''}`;
    const answer = await this.transport.requestStream(
      { method: 'GET', path: attachmentsPath(module, recordId, attachmentId), headers },
      rest,
    );
    if (!('response' in answer)) return null;
    const res = answer.response;
    if (!res.body) return null;
    const length = res.headers.get('content-length');
    return {
      body: res.body as ReadableStream<Uint8Array>,
      fileName: parseContentDisposition(res.headers.get('content-disposition')),
      contentType: res.headers.get('content-type') ?? 'application/octet-stream',
      contentLength: length === null ? undefined : Number(length),
      status: res.status,
      contentRange: parseContentRange(res.headers.get('content-range')),
      requestId: answer.requestId,
    };
  }

  /**
   * Downloads to `path` through `<path>.part`, renamed into place when complete. With `resume`
   * (the default) an existing `.part` is continued with a `Range` request; a server that ignores
   * the range (200) gets the file rewritten from the start. Resolves with null on 204.
   */
  async downloadToFile(
    module: AttachmentModule,
    recordId: string,
    attachmentId: string,
    path: string,
    options: DownloadToFileOptions = {},
  ): Promise<DownloadedFile | null> {
    const { resume = true, ...rest } = options;
    const fs = await import('node:fs');
    const { pipeline } = await import('node:stream/promises');
    const { Readable } = await import('node:stream');
    const part = `${path}.part`;
    let offset = 0;
    if (resume) {
      try {
        offset = (await fs.promises.stat(part)).size;
      } catch {
        offset = 0;
      }
    }
    let download: AttachmentDownload | null;
    try {
      download = await this.download(module, recordId, attachmentId, {
        ...rest,
        ...(offset > 0 ? { range: { start: offset } } : {}),
      });
    } catch (error) {
      // 416: the partial file already holds every byte.
      if (error instanceof APIError && error.status === 416 && offset > 0) {
        const total = /\*\/(\d+)/.exec(error.headers['content-range'] ?? '')?.[1];
        if (total !== undefined && Number(total) === offset) {
          await fs.promises.rename(part, path);
          return { path, bytes: offset, resumedFrom: offset, fileName: undefined };
        }
      }
      throw error;
    }
    if (!download) return null;
    const appending = download.status === 206 && download.contentRange?.start === offset;
    if (download.status === 206 && !appending) {
      await download.body.cancel();
      throw new BiginError(
        `server answered a range starting at ${download.contentRange?.start}, not ${offset}`,
      );
    }
    const start = appending ? offset : 0;
    const out = fs.createWriteStream(part, { flags: appending ? 'a' : 'w' });
    try {
      await pipeline(Readable.fromWeb(download.body as import('node:stream/web').ReadableStream), out, {
        ...(rest.signal ? { signal: rest.signal } : {}),
      });
    } catch (error) {
      if (rest.signal?.aborted) throw new APIUserAbortError();
      throw new APIConnectionError(`download interrupted; ${part} is kept for resuming`, {
        cause: sanitizedCause(error),
      });
    }
    const bytes = (await fs.promises.stat(part)).size;
    await fs.promises.rename(part, path);
    return { path, bytes, resumedFrom: start, fileName: download.fileName };
  }
}

/** `data[0]` of a per-item answer, thrown as its error class when it failed. */
export function firstItem(answer: JsonAnswer): WriteResult {
  const data = (answer.body as { data?: unknown } | undefined)?.data;
  const item = Array.isArray(data) ? (data[0] as WriteResult | undefined) : undefined;
  if (!item || typeof item.code !== 'string') {
    throw new BiginError(`unexpected answer (HTTP ${answer.status}) without data[0]`);
  }
  if (item.status === 'error') throw itemError(item, answer.status, answer.requestId);
  return item;
}

export function toPage<T>(
  answer: JsonAnswer,
  page: number,
  perPage: number,
  fetchPage: PageFetcher<T>,
): Page<T> {
  const body = answer.body as { data?: T[]; info?: PageInfo } | undefined;
  if (answer.status === 204 || !body) return new Page<T>([], emptyInfo(page, perPage), fetchPage);
  const data = Array.isArray(body.data) ? body.data : [];
  return new Page<T>(
    data,
    body.info ?? { per_page: perPage, count: data.length, page, more_records: false },
    fetchPage,
  );
}

/** The file name in a `Content-Disposition` header; RFC 6266 `filename*` wins over `filename`. */
export function parseContentDisposition(header: string | null): string | undefined {
  if (!header) return undefined;
  const star = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
  if (star?.[2]) {
    try {
      return decodeURIComponent(star[2].trim());
    } catch {
      // fall through to the plain parameter
    }
  }
  const quoted = /filename\s*=\s*"((?:\\.|[^"\\])*)"/i.exec(header);
  if (quoted?.[1] !== undefined) return quoted[1].replace(/\\(.)/g, '$1');
  const bare = /filename\s*=\s*([^;\s]+)/i.exec(header);
  return bare?.[1];
}

function parseContentRange(header: string | null): AttachmentDownload['contentRange'] {
  const m = header ? /bytes\s+(\d+)-(\d+)\/(\d+|\*)/i.exec(header) : null;
  if (!m) return undefined;
  return { start: Number(m[1]), end: Number(m[2]), total: m[3] === '*' ? undefined : Number(m[3]) };
}
