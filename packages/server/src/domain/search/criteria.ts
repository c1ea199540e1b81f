/**
 * The `criteria` grammar of GET /{module}/search (docs/search.md), parsed by hand by recursive
 * descent so that a refusal can say where the input went wrong:
 *
 *   criteria  := group ( CONNECTOR group )*          -- one connector word per level
 *   group     := '(' ( criteria | criterion ) ')'
 *   criterion := field ':' operator ':' value ( ',' value )*
 *   CONNECTOR := 'and' | 'or'                        -- any case, spaces around allowed
 *
 * Inside a value a backslash takes the next character literally, so `\(`, `\)`, `\,` and `\\`
 * (the escapes Bigin documents) stand for themselves; an unescaped `(` is an error, an unescaped
 * `,` separates the values of `in` and `between`. Mixing `and` with `or` at one level needs
 * parentheses: the docs give no precedence, so we refuse to guess.
 */

export type CriteriaNode =
  | { kind: 'criterion'; field: string; operator: string; values: string[]; at: number }
  | { kind: 'and' | 'or'; children: CriteriaNode[] };

export class CriteriaSyntaxError extends Error {
  constructor(
    readonly position: number,
    readonly reason: string,
  ) {
    super(`${reason} at position ${position}`);
  }
}

/** Bigin's cap on criteria per search. */
export const MAX_CRITERIA = 10;

const FIELD_START = /[A-Za-z$]/;
const FIELD_PART = /[A-Za-z0-9_$.]/;
const OPERATOR_PART = /[a-z_]/;

export function parseCriteria(input: string): CriteriaNode {
  let pos = 0;
  let count = 0;
  const fail = (reason: string, at = pos): never => {
    throw new CriteriaSyntaxError(at, reason);
  };
  const peek = () => input[pos];
  const skipSpaces = () => {
    while (input[pos] === ' ') pos++;
  };
  const expect = (ch: string) => {
    if (input[pos] !== ch)
      fail(pos >= input.length ? `expected '${ch}' but the criteria ended` : `expected '${ch}'`);
    pos++;
  };

  const connector = (): 'and' | 'or' | null => {
    const save = pos;
    skipSpaces();
    for (const word of ['and', 'or'] as const) {
      if (input.slice(pos, pos + word.length).toLowerCase() === word) {
        const after = pos + word.length;
        let next = after;
        while (input[next] === ' ') next++;
        if (input[next] === '(') {
          pos = next;
          return word;
        }
      }
    }
    pos = save;
    return null;
  };

  const criteria = (): CriteriaNode => {
    const first = group();
    const children = [first];
    let kind: 'and' | 'or' | null = null;
    for (let word = connector(); word; word = connector()) {
      if (kind !== null && word !== kind)
        fail(`'${word}' mixed with '${kind}' at one level; add parentheses`, pos);
      kind = word;
      children.push(group());
    }
    return kind === null ? first : { kind, children };
  };

  const group = (): CriteriaNode => {
    skipSpaces();
    expect('(');
    skipSpaces();
    const node = peek() === '(' ? criteria() : criterion();
    skipSpaces();
    expect(')');
    return node;
  };

  const criterion = (): CriteriaNode => {
    const at = pos;
    if (++count > MAX_CRITERIA) fail(`more than ${MAX_CRITERIA} criteria`, at);
    if (!FIELD_START.test(peek() ?? '')) fail('expected a field API name');
    while (pos < input.length && FIELD_PART.test(input[pos]!)) pos++;
    const field = input.slice(at, pos);
    expect(':');
    const opAt = pos;
    while (pos < input.length && OPERATOR_PART.test(input[pos]!)) pos++;
    const operator = input.slice(opAt, pos);
    if (operator === '') fail('expected an operator');
    expect(':');
    const values: string[] = [];
    let current = '';
    let sawAny = false;
    for (;;) {
      const ch = input[pos];
      if (ch === undefined) fail("expected ')' but the criteria ended");
      if (ch === '\\') {
        if (pos + 1 >= input.length) fail('a backslash at the end of the criteria escapes nothing');
        current += input[pos + 1];
        pos += 2;
        sawAny = true;
        continue;
      }
      if (ch === ')') break;
      if (ch === '(') fail("unescaped '(' in a value");
      if (ch === ',') {
        values.push(current);
        current = '';
        pos++;
        continue;
      }
      current += ch;
      sawAny = true;
      pos++;
    }
    values.push(current);
    if (!sawAny || values.some((v) => v === '')) fail('empty value', opAt + operator.length + 1);
    return { kind: 'criterion', field, operator, values, at };
  };

  if (input.trim() === '') fail('empty criteria', 0);
  const tree = criteria();
  skipSpaces();
  if (pos < input.length) fail('unexpected text after the criteria');
  return tree;
}

/** Writes a tree back in the canonical form, escaping what the grammar needs escaped. */
export function printCriteria(node: CriteriaNode): string {
  if (node.kind === 'criterion') {
    const esc = (v: string) => v.replace(/[\\(),]/g, (c) => `\\${c}`);
    return `(${node.field}:${node.operator}:${node.values.map(esc).join(',')})`;
  }
  return `(${node.children.map(printCriteria).join(node.kind)})`;
}
