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
}

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

/** Quotes a multipart filename as browsers do (WHATWG HTML: `"`, CR and LF percent-encoded). */
function quoteFileName(name: string): string {
  return name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export async function prepareUpload(input: UploadInput): Promise<PreparedBody> {
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
    return formWithFile(blob, spec.fileName ?? baseName(source), spec.contentType);
  }
  if (source instanceof Blob) {
    const name =
      spec.fileName ?? (typeof (source as File).name === 'string' ? (source as File).name : 'file');
    return formWithFile(source, name || 'file', spec.contentType);
  }
  if (source instanceof Uint8Array || source instanceof ArrayBuffer) {
    return formWithFile(
      new Blob([source instanceof ArrayBuffer ? new Uint8Array(source) : source]),
      spec.fileName ?? 'file',
      spec.contentType,
    );
  }
  return streamingForm(source, spec.fileName ?? 'file', spec.contentType ?? 'application/octet-stream');
}

function formWithFile(blob: Blob, fileName: string, contentType: string | undefined): PreparedBody {
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
  source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
  fileName: string,
  contentType: string,
): PreparedBody {
  const boundary = `----bigin-${crypto.randomUUID()}`;
  const encoder = new TextEncoder();
  const head = encoder.encode(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${quoteFileName(fileName)}"\r\n` +
      `Content-Type: ${contentType.replace(/[\r\n]/g, '')}\r\n\r\n`,
  );
  const tail = encoder.encode(`\r\n--${boundary}--\r\n`);
  const iterable: AsyncIterable<Uint8Array> =
    Symbol.asyncIterator in source
      ? (source as AsyncIterable<Uint8Array>)
      : readableToIterable(source as ReadableStream<Uint8Array>);
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
  return {
    body,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    replayable: false,
  };
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
