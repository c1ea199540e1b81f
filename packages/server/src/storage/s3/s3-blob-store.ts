import { pipeline, Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { BlobNotFoundError, type BlobStore } from '../../domain/ports.js';
import { assertBlobKey, createBlobMeter } from '../blob-meter.js';

export interface S3BlobStoreOptions {
  bucket: string;
  /** Prepended to every key (for example `bigin/`), so that one bucket can hold other things too. */
  prefix: string;
  region: string;
  /** For S3-compatible servers (MinIO, Ceph, R2, …); omitted for AWS itself. */
  endpoint?: string | undefined;
  /** `https://endpoint/bucket/key` instead of `https://bucket.endpoint/key`; most S3-compatible servers need it. */
  forcePathStyle: boolean;
  /** Static credentials; without them the SDK's default chain (environment, profile, instance role) is used. */
  credentials?: { accessKeyId: string; secretAccessKey: string } | undefined;
  /** Bytes per multipart part (at least 5 MiB, S3's minimum); smaller bodies are one PUT. */
  partSize: number;
  /** Parts uploaded in parallel for one blob; each holds `partSize` bytes in memory. */
  queueSize?: number;
}

function isNotFound(error: unknown): boolean {
  return (
    error instanceof NoSuchKey ||
    error instanceof NotFound ||
    (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404)
  );
}

/**
 * Attachment bytes in an S3 bucket. An object appears only when its upload completes (a single
 * PUT, or CompleteMultipartUpload for bodies over `partSize`), and S3 acknowledges only durable
 * writes, so a blob is either absent, the previous one, or complete. Bodies stream in both
 * directions: at most `partSize × queueSize` bytes of one upload are held in memory.
 */
export class S3BlobStore implements BlobStore {
  readonly #client: S3Client;
  readonly #options: S3BlobStoreOptions;

  constructor(options: S3BlobStoreOptions) {
    this.#options = options;
    // The SDK warns, on Node 20, that its releases from January 2027 will need Node 22: a note
    // for whoever updates this project's lock file (engines: Node >= 20.19), not for an operator,
    // whose installed SDK keeps working. Its own switch turns that one notice off; every other
    // warning stays, and an operator who sets the switch to anything else gets the notice back.
    if (!process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED)
      process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    this.#client = new S3Client({
      region: options.region,
      forcePathStyle: options.forcePathStyle,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      ...(options.credentials ? { credentials: options.credentials } : {}),
      // Checksums only where S3 requires them: many S3-compatible servers reject the SDK's
      // newer default (streamed CRC32 trailers). Integrity is checked by our own SHA-256.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      // An unreachable endpoint fails the request instead of hanging it. No idle timeout: a
      // download paused by a slow client's backpressure must not be cut.
      requestHandler: { connectionTimeout: 10_000 },
    });
  }

  #key(key: string): string {
    assertBlobKey(key);
    return this.#options.prefix + key;
  }

  async put(
    key: string,
    body: Readable,
    opts: { maxBytes?: number; signal?: AbortSignal } = {},
  ): Promise<{ size: number; sha256: string }> {
    const objectKey = this.#key(key);
    opts.signal?.throwIfAborted();
    const meter = createBlobMeter(key, opts.maxBytes);
    let failure: unknown = null;
    // The callback form returns the last stream, which the upload reads; an error anywhere
    // (source, size limit) destroys both, and the upload fails and aborts its multipart upload.
    const metered = pipeline(body, meter.stream, (error) => {
      if (error) failure ??= error;
    });
    const upload = new Upload({
      client: this.#client,
      params: { Bucket: this.#options.bucket, Key: objectKey, Body: metered },
      partSize: this.#options.partSize,
      queueSize: this.#options.queueSize ?? 2,
      leavePartsOnError: false,
    });
    const onAbort = () => {
      failure ??= opts.signal?.reason ?? new Error('aborted');
      metered.destroy(failure as Error);
      void upload.abort().catch(() => {});
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await upload.done();
    } catch (error) {
      throw failure ?? error;
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
    }
    // Defensive: a failure reported only after the upload finished must still reject.
    if (failure) throw failure;
    return meter.result();
  }

  async get(key: string, opts: { range?: { start: number; end: number } } = {}) {
    let out: GetObjectCommandOutput;
    try {
      out = await this.#client.send(
        new GetObjectCommand({
          Bucket: this.#options.bucket,
          Key: this.#key(key),
          ...(opts.range ? { Range: `bytes=${opts.range.start}-${opts.range.end}` } : {}),
        }),
      );
    } catch (error) {
      if (isNotFound(error)) throw new BlobNotFoundError(key);
      // A range starting past the end: no bytes, as a file read there gives (S3 answers 416).
      if (opts.range && error instanceof S3ServiceException && error.$metadata.httpStatusCode === 416) {
        const stat = await this.stat(key);
        if (!stat) throw new BlobNotFoundError(key);
        return { body: Readable.from([]), size: stat.size };
      }
      throw error;
    }
    // With a range, the whole blob's size is the part after the slash of Content-Range.
    const total = out.ContentRange ? Number(out.ContentRange.split('/')[1]) : (out.ContentLength ?? 0);
    const body = out.Body instanceof Readable ? out.Body : Readable.from([]);
    return { body, size: total };
  }

  async stat(key: string): Promise<{ size: number } | null> {
    try {
      const out = await this.#client.send(
        new HeadObjectCommand({ Bucket: this.#options.bucket, Key: this.#key(key) }),
      );
      return { size: out.ContentLength ?? 0 };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  /** S3 answers a delete of a missing key with success, so this is idempotent as it is. */
  async delete(key: string): Promise<void> {
    await this.#client.send(new DeleteObjectCommand({ Bucket: this.#options.bucket, Key: this.#key(key) }));
  }

  async ping(): Promise<void> {
    // A key that never exists: 404 proves the bucket answers and the credentials are accepted,
    // with no more permission than the store needs anyway (HeadBucket would need ListBucket).
    await this.stat('ready-check');
  }

  async close(): Promise<void> {
    this.#client.destroy();
  }
}
