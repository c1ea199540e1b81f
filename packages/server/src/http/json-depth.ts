/** Deepest nesting of arrays and objects a JSON request body may have (a records body needs 4). */
export const MAX_JSON_DEPTH = 20;

/**
 * The deepest array/object nesting in a JSON text, found in one pass without recursion, so that
 * a body nested thousands of levels deep is refused before anything recursive (JSON.parse, the
 * validation, a store's JSON functions) sees it. Brackets inside strings do not count; the text
 * need not be valid JSON (JSON.parse judges that afterwards).
 */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}
