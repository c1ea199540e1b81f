import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import type { UploadPart } from '../domain/attachments/upload-attachment.js';
import { AppError, errors } from '../domain/errors.js';

/** Fields are short (a link of at most 3000 characters, a title); anything longer is truncated and refused. */
const FIELD_BYTES = 16 * 1024;

// Media types are echoed in download headers, so only well-formed `type/subtype` are kept.
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

/**
 * The parts of a multipart/form-data request body, as a stream of UploadParts. Nothing is
 * buffered beyond busboy's own chunk: a file part's body is the live stream from the socket,
 * and the next part is parsed only once it has been read.
 *
 * `signal` aborts when the client goes away before the body is complete; `close()` stops
 * parsing, so that a refused upload is answered without waiting for, or storing, the rest.
 */
export class MultipartForm {
  readonly #req: IncomingMessage;
  readonly #parser: busboy.Busboy;
  readonly #controller = new AbortController();
  readonly #queue: UploadPart[] = [];
  #wake: (() => void) | null = null;
  #failure: AppError | null = null;
  #ended = false;
  #aborted = false;

  private constructor(req: IncomingMessage, parser: busboy.Busboy) {
    this.#req = req;
    this.#parser = parser;
    parser.on('file', (name, body, info) => {
      // Errors on a part nobody reads (a refused or ignored part) must not crash the process;
      // whoever reads the part sees them through its own pipeline.
      body.on('error', () => {});
      const type = info.mimeType.toLowerCase();
      this.#push({
        kind: 'file',
        name,
        fileName: info.filename ?? '',
        contentType: MEDIA_TYPE.test(type) ? type : 'application/octet-stream',
        body,
      });
    });
    parser.on('field', (name, value, info) =>
      this.#push({ kind: 'field', name, value, truncated: info.valueTruncated || info.nameTruncated }),
    );
    const tooMany = () => this.#fail(errors.invalidData('D6 multipart: too many parts'));
    parser.on('partsLimit', tooMany);
    parser.on('filesLimit', tooMany);
    parser.on('fieldsLimit', tooMany);
    parser.on('error', (error: Error) => this.#fail(errors.invalidData(`D6 multipart: ${error.message}`)));
    parser.on('close', () => {
      this.#ended = true;
      this.#notify();
    });
    const onGone = () => {
      if (req.complete) return;
      this.#aborted = true;
      this.#controller.abort();
      this.#fail(errors.invalidData('D6 multipart: client went away before the body was complete'));
    };
    req.on('error', onGone);
    req.on('close', onGone);
    req.pipe(parser);
  }

  /**
   * Starts reading `req` as a form. A body that is not multipart/form-data holds neither a file
   * nor a link (MANDATORY_NOT_FOUND); a multipart type without a usable boundary is malformed
   * (INVALID_DATA).
   */
  static open(req: IncomingMessage, limits: { maxParts: number }): MultipartForm {
    const type = req.headers['content-type'] ?? '';
    if (!/^multipart\/form-data(\s*;|\s*$)/i.test(type))
      throw errors.mandatoryNotFound(
        `content type ${JSON.stringify(type.slice(0, 100))} is not multipart/form-data`,
      );
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        // curl and browsers send file names as raw UTF-8; `../` and the like are kept, never used as paths.
        defParamCharset: 'utf8',
        preservePath: true,
        limits: {
          fieldSize: FIELD_BYTES,
          fieldNameSize: 200,
          parts: limits.maxParts,
          files: limits.maxParts,
          fields: limits.maxParts,
        },
      });
    } catch (error) {
      throw errors.invalidData(`D6 multipart: ${(error as Error).message}`);
    }
    return new MultipartForm(req, parser);
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get aborted(): boolean {
    return this.#aborted;
  }

  async *parts(): AsyncGenerator<UploadPart> {
    for (;;) {
      if (this.#failure) throw this.#failure;
      const next = this.#queue.shift();
      if (next) {
        yield next;
        continue;
      }
      if (this.#ended) return;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  /**
   * What to answer for an error raised while the form was being read: a stream error caused by a
   * malformed or interrupted body becomes the form's own INVALID_DATA. Busboy reports the cause
   * on its own error event after failing the file stream, so the check waits one turn for it.
   */
  async explain(error: unknown): Promise<unknown> {
    if (error instanceof AppError && error.failure !== 'INTERNAL_ERROR') return error;
    if (!this.#failure) await new Promise((resolve) => setImmediate(resolve));
    return this.#failure ?? error;
  }

  /** Stops parsing. What is left of the body is dropped after the answer (see discardUnreadBody). */
  close(): void {
    this.#req.unpipe(this.#parser);
    for (const part of this.#queue.splice(0)) if (part.kind === 'file') part.body.resume();
    this.#parser.removeAllListeners('file');
    this.#parser.on('error', () => {});
    this.#parser.destroy();
  }

  #push(part: UploadPart): void {
    this.#queue.push(part);
    this.#notify();
  }

  #fail(failure: AppError): void {
    this.#failure ??= failure;
    this.#notify();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }
}
