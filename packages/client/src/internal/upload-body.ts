/** Builds the multipart body of an attachment upload from whatever the caller holds. */

/** A file's bytes: a file path (Node), bytes, a Blob/File, a web ReadableStream or any async iterable (Node Readable). */
export type UploadSource =
  | string
  | Uint8Array
  | ArrayBuffer
  | Blob
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array>;

export interface FileUpload {
  file: UploadSource;
  /** Default: the path's base name, the File's name, else `file`. */
  fileName?: string;
  /** Default: the Blob's type, else `application/octet-stream`. */
  contentType?: string;
  /** A stream's length in bytes, when the caller knows it: the `total` of upload progress (paths, bytes and Blobs know theirs). */
  size?: number;
}

/** How much of the file an upload has handed to the connection. */
export interface UploadProgress {
  /** Bytes of the file sent so far (the multipart framing around it is not counted). */
  sent: number;
  /** The file's size; undefined for a stream of unknown length. */
  total: number | undefined;
}

export type UploadProgressListener = (progress: UploadProgress) => void;

export interface LinkUpload {
  /** A URL to attach as a link; Bigin stores it and never fetches it. */
  link: string;
  title?: string;
}

export type UploadInput = UploadSource | FileUpload | LinkUpload;

/** What fetch accepts as a request body. */
export type RequestBody = NonNullable<RequestInit['body']>;

export interface PreparedBody {
  body: RequestBody;
  headers: Record<string, string>;
  /** Whether the body can be sent again (a retry); one-shot streams cannot. */
  replayable: boolean;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() || 'file';
}

/**
 * Characters a quoted multipart `filename` cannot carry faithfully: browsers and undici's FormData
 * percent-encode `"`, CR and LF (and Bigin-compatible servers keep the `%22`), parsers unescape
 * `\`. Names with them are also sent as RFC 5987 `filename*`, which carries any name exactly.
 */
function isUnsafeInQuotes(c: string): boolean {
  const code = c.charCodeAt(0);
  return c === '"' || c === '\\' || code < 0x20 || code === 0x7f;
}

export function needsExtendedName(name: string): boolean {
  return [...name].some(isUnsafeInQuotes);
}

/** The part's `Content-Disposition`: the plain name, plus `filename*` when the plain one would alter it. */
export function fileDisposition(name: string): string {
  const plain = `form-data; name="file"; filename="${[...name].map((c) => (isUnsafeInQuotes(c) ? '_' : c)).join('')}"`;
  if (!needsExtendedName(name)) return plain;
  const encoded = encodeURIComponent(name).replace(
    /['()*!]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${plain}; filename*=UTF-8''${encoded}`;
}

/**
 * Reports each chunk once the HTTP client has taken it (the next pull), so `sent` follows the
 * connection's pace, not the file's reading: fetch pulls only as fast as the socket drains.
 */
async function* counted(
  source: AsyncIterable<Uint8Array>,
  total: number | undefined,
  onProgress: UploadProgressListener,
): AsyncIterable<Uint8Array> {
  let sent = 0;
  onProgress({ sent, total });
  for await (const chunk of source) {
    // An in-memory Blob streams as one chunk: cut it, so that progress moves as the socket drains.
    for (let at = 0; at < chunk.byteLength; at += PROGRESS_CHUNK) {
      const part = chunk.subarray(at, at + PROGRESS_CHUNK);
      yield part;
      sent += part.byteLength;
      onProgress({ sent, total });
    }
  }
}

const PROGRESS_CHUNK = 64 * 1024;

/**
 * A file whose bytes are at hand (path, bytes, Blob), streamed so that its progress can be
 * counted. Still replayable: every attempt prepares the body again from the Blob.
 */
function countedBlobForm(
  blob: Blob,
  fileName: string,
  contentType: string | undefined,
  onProgress: UploadProgressListener,
): PreparedBody {
  const type = contentType ?? (blob.type || 'application/octet-stream');
  const prepared = streamingForm(
    counted(readableToIterable(blob.stream() as ReadableStream<Uint8Array>), blob.size, onProgress),
    fileName,
    type,
    blob.size,
  );
  return { ...prepared, replayable: true };
}

export async function prepareUpload(
  input: UploadInput,
  onProgress?: UploadProgressListener,
): Promise<PreparedBody> {
  if (isPlainObject(input) && typeof input.link === 'string') {
    const link = input as unknown as LinkUpload;
    const form = new FormData();
    form.append('attachmentUrl', link.link);
    if (link.title !== undefined) form.append('title', link.title);
    return { body: form, headers: {}, replayable: true };
  }
  const spec: FileUpload =
    isPlainObject(input) && 'file' in input
      ? (input as unknown as FileUpload)
      : { file: input as UploadSource };
  const source = spec.file;

  if (typeof source === 'string') {
    // Imported lazily so the SDK still loads on runtimes without node:fs.
    const { openAsBlob } = await import('node:fs');
    const blob = await openAsBlob(source, spec.contentType ? { type: spec.contentType } : {});
    return fileForm(blob, spec.fileName ?? baseName(source));
  }
  if (source instanceof Blob) {
    const name =
      spec.fileName ?? (typeof (source as File).name === 'string' ? (source as File).name : 'file');
    return fileForm(source, name || 'file');
  }
  if (source instanceof Uint8Array || source instanceof ArrayBuffer) {
    return fileForm(
      new Blob([source instanceof ArrayBuffer ? new Uint8Array(source) : source]),
      spec.fileName ?? 'file',
    );
  }
  const iterable: AsyncIterable<Uint8Array> =
    Symbol.asyncIterator in source
      ? (source as AsyncIterable<Uint8Array>)
      : readableToIterable(source as ReadableStream<Uint8Array>);
  return streamingForm(
    onProgress ? counted(iterable, spec.size, onProgress) : iterable,
    spec.fileName ?? 'file',
    spec.contentType ?? 'application/octet-stream',
  );

  function fileForm(blob: Blob, fileName: string): PreparedBody {
    return onProgress
      ? countedBlobForm(blob, fileName, spec.contentType, onProgress)
      : formWithFile(blob, fileName, spec.contentType);
  }
}

function formWithFile(blob: Blob, fileName: string, contentType: string | undefined): PreparedBody {
  if (needsExtendedName(fileName)) {
    // FormData would percent-encode the name; the body is composed by hand instead, still a Blob
    // (file-backed parts stay on disk, the length is known, and it can be sent again).
    const boundary = `----bigin-${crypto.randomUUID()}`;
    const type = (contentType ?? (blob.type || 'application/octet-stream')).replace(/[\r\n]/g, '');
    const body = new Blob([
      `--${boundary}\r\nContent-Disposition: ${fileDisposition(fileName)}\r\nContent-Type: ${type}\r\n\r\n`,
      blob,
      `\r\n--${boundary}--\r\n`,
    ]);
    return {
      body,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      replayable: true,
    };
  }
  const typed = contentType && blob.type !== contentType ? new Blob([blob], { type: contentType }) : blob;
  const form = new FormData();
  form.append('file', typed, fileName);
  return { body: form, headers: {}, replayable: true };
}

/**
 * A multipart body around a one-shot stream, streamed as it is read: nothing is buffered, so a
 * 20 MB file costs a 64 KB chunk of memory, not 20 MB.
 */
function streamingForm(
  iterable: AsyncIterable<Uint8Array>,
  fileName: string,
  contentType: string,
  /** The file's exact length, when known: the body is then sent with a Content-Length, not chunked. */
  fileSize?: number,
): PreparedBody {
  const boundary = `----bigin-${crypto.randomUUID()}`;
  const encoder = new TextEncoder();
  const head = encoder.encode(
    `--${boundary}\r\nContent-Disposition: ${fileDisposition(fileName)}\r\n` +
      `Content-Type: ${contentType.replace(/[\r\n]/g, '')}\r\n\r\n`,
  );
  const tail = encoder.encode(`\r\n--${boundary}--\r\n`);
  let iterator: AsyncIterator<Uint8Array> | undefined;
  let stage: 'head' | 'body' | 'done' = 'head';
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (stage === 'head') {
        stage = 'body';
        iterator = iterable[Symbol.asyncIterator]();
        controller.enqueue(head);
        return;
      }
      if (stage === 'done') return;
      const next = await iterator!.next();
      if (next.done) {
        stage = 'done';
        controller.enqueue(tail);
        controller.close();
        return;
      }
      const chunk = next.value;
      controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : new Uint8Array(chunk));
    },
    async cancel(reason) {
      await iterator?.return?.(reason);
    },
  });
  const headers: Record<string, string> = { 'content-type': `multipart/form-data; boundary=${boundary}` };
  if (fileSize !== undefined)
    headers['content-length'] = String(head.byteLength + fileSize + tail.byteLength);
  return { body, headers, replayable: false };
}

async function* readableToIterable(stream: ReadableStream<Uint8Array>): AsyncIterable<Uint8Array> {
  const reader = stream.getReader();
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}
