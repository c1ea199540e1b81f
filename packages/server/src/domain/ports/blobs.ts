import type { Readable } from 'node:stream';
// Attachment and photo bytes.

export class BlobNotFoundError extends Error {
  constructor(key: string) {
    super(`blob not found: ${key}`);
    this.name = 'BlobNotFoundError';
  }
}

export class BlobTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`blob larger than ${maxBytes} bytes`);
    this.name = 'BlobTooLargeError';
  }
}

export interface BlobStore {
  /**
   * Streams `body` to `key`, replacing any blob there. Resolves only once the bytes are durable.
   * Rejects with BlobTooLargeError once more than `maxBytes` arrive, and on any failure or abort
   * leaves nothing at `key` that was not there before.
   */
  put(
    key: string,
    body: Readable,
    opts?: { maxBytes?: number; signal?: AbortSignal },
  ): Promise<{ size: number; sha256: string }>;
  /** Rejects with BlobNotFoundError when absent. `range` is inclusive byte offsets. */
  get(
    key: string,
    opts?: { range?: { start: number; end: number } },
  ): Promise<{
    body: Readable;
    size: number;
    /** The requested bytes, when the store already holds them in memory: sent without a stream. */
    bytes?: Buffer;
  }>;
  /** Size of the blob, or null when absent. */
  stat(key: string): Promise<{ size: number } | null>;
  /** Idempotent: deleting a missing key resolves. */
  delete(key: string): Promise<void>;
  /** Resolves once the store is reachable and writable as far as can be told cheaply (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
  /**
   * Stores that stage uploads locally (the folder store's `.tmp`) remove staged files that no
   * live upload owns and that are older than `olderThanMs`; returns how many. Absent elsewhere.
   */
  sweepTemporary?(olderThanMs: number): Promise<number>;
}
