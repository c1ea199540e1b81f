/**
 * What the stores report for metrics, without depending on a metrics library: the HTTP layer's
 * `/metrics` subscribes. Process-wide, like the metrics registry it feeds.
 */
export interface StoreListener {
  /** A group commit: how many writes shared one transaction, and how long it took (fsync included). */
  groupCommit?(writes: number, seconds: number): void;
  /** A token lookup answered from the in-process cache (`hit`) or from the database. */
  tokenCache?(hit: boolean): void;
  /**
   * The first bytes of a blob reached the blob store (its journal entry already exists): an
   * in-process observer can act on an upload in progress without polling the data folder.
   */
  blobWriteStarted?(key: string): void;
}

const listeners = new Set<StoreListener>();

export function addStoreListener(listener: StoreListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function reportGroupCommit(writes: number, seconds: number): void {
  for (const l of listeners) l.groupCommit?.(writes, seconds);
}

export function reportTokenCache(hit: boolean): void {
  for (const l of listeners) l.tokenCache?.(hit);
}

export function reportBlobWriteStarted(key: string): void {
  for (const l of listeners) l.blobWriteStarted?.(key);
}
