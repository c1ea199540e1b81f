import {
  type AttachmentModuleApiName,
  type AttachmentOperation,
  attachmentScopePairs,
} from '@bigin-attachments/contract';

type PairTable = Map<string, Array<[string, string]>>;

// The pair lists are fixed, so build them once (lower-cased, for case-insensitive matching).
const pairCache: PairTable = new Map();

function pairsFor(module: AttachmentModuleApiName, operation: AttachmentOperation): Array<[string, string]> {
  const key = `${module}:${operation}`;
  let pairs = pairCache.get(key);
  if (!pairs) {
    pairs = attachmentScopePairs(module, operation).map(([m, a]) => [m.toLowerCase(), a.toLowerCase()]);
    pairCache.set(key, pairs);
  }
  return pairs;
}

/** True when the token holds one of the scope pairs the docs list for this operation. */
export function scopesAllowAttachmentOperation(
  scopes: ReadonlySet<string>,
  module: AttachmentModuleApiName,
  operation: AttachmentOperation,
): boolean {
  return pairsFor(module, operation).some(([m, a]) => scopes.has(m) && scopes.has(a));
}
