/**
 * The COQL `select_query` of POST /bigin/v2/coql (docs/coql.md), tokenized and parsed by hand by
 * recursive descent so that a refusal can say where the query went wrong:
 *
 *   query     := SELECT column (',' column)* FROM name [WHERE condition]
 *                [ORDER BY column [ASC|DESC]] [LIMIT n [',' n | OFFSET n] | OFFSET n] [';']
 *   condition := term [(AND|OR) term]            -- two criteria a level; more need brackets
 *   term      := '(' condition ')' | criterion
 *   criterion := column ( ('='|'!='|'>'|'>='|'<'|'<=') value | [NOT] LIKE string
 *                | [NOT] IN '(' value (',' value)* ')' | [NOT] BETWEEN value AND value
 *                | IS [NOT] NULL )
 *   column    := name ('.' name)* | quoted name    -- a dot is a join through a lookup
 *
 * Keywords are case-insensitive (Bigin's COQL overview); a keyword used as a field name must be
 * quoted, as Zoho's COQL FAQ says. Strings take `'…'` or `"…"`; a backslash takes the next
 * character literally (`\'`, `\\`, and `\%` for a literal percent sign in `like`). `LIMIT m, n`
 * is SQL's "offset m, limit n". What the grammar allows but Bigin refuses (field names, types,
 * limits) is checked later, against the module (coql-filter.ts).
 */

export type Comparator =
  | '='
  | '!='
  | '>'
  | '>='
  | '<'
  | '<='
  | 'like'
  | 'not like'
  | 'in'
  | 'not in'
  | 'between'
  | 'not between'
  | 'is null'
  | 'is not null';

export interface CoqlColumn {
  path: string[];
  at: number;
}

export interface CoqlValue {
  kind: 'string' | 'number' | 'boolean' | 'word';
  text: string;
  at: number;
  /** Strings: which characters were an unescaped `%` (the wildcards of `like`). */
  wild?: boolean[];
}

export type CoqlCondition =
  | { kind: 'criterion'; column: CoqlColumn; comparator: Comparator; values: CoqlValue[]; at: number }
  | { kind: 'and' | 'or'; left: CoqlCondition; right: CoqlCondition };

export interface CoqlQuery {
  select: CoqlColumn[];
  from: { name: string; at: number };
  where: CoqlCondition | null;
  orderBy: { column: CoqlColumn; desc: boolean } | null;
  limit: { value: number; at: number } | null;
  offset: { value: number; at: number } | null;
}

export class CoqlSyntaxError extends Error {
  constructor(
    readonly position: number,
    readonly reason: string,
    readonly near: string,
  ) {
    super(`${reason} at position ${position}`);
  }
}

const KEYWORDS = new Set([
  'select',
  'from',
  'where',
  'order',
  'by',
  'asc',
  'desc',
  'limit',
  'offset',
  'and',
  'or',
  'not',
  'like',
  'in',
  'is',
  'null',
  'between',
  'true',
  'false',
]);

/** Brackets nest at most this deep; deeper is "too complex" rather than a deep recursion. */
const MAX_DEPTH = 32;

interface Token {
  type: 'word' | 'keyword' | 'number' | 'string' | 'punct' | 'end';
  /** Keywords in lower case; strings unescaped. */
  text: string;
  at: number;
  wild?: boolean[];
}

const WORD_START = /[A-Za-z_$]/;
const WORD_PART = /[A-Za-z0-9_$]/;
const DIGIT = /[0-9]/;
const SPACE = /\s/;

export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  const fail = (reason: string, at: number): never => {
    throw new CoqlSyntaxError(at, reason, input.slice(at, at + 20));
  };
  while (pos < input.length) {
    const ch = input[pos]!;
    const at = pos;
    if (SPACE.test(ch)) {
      pos++;
    } else if (WORD_START.test(ch)) {
      while (pos < input.length && WORD_PART.test(input[pos]!)) pos++;
      const word = input.slice(at, pos);
      const lower = word.toLowerCase();
      tokens.push(
        KEYWORDS.has(lower) ? { type: 'keyword', text: lower, at } : { type: 'word', text: word, at },
      );
    } else if (DIGIT.test(ch) || (ch === '-' && DIGIT.test(input[pos + 1] ?? ''))) {
      pos++;
      while (pos < input.length && DIGIT.test(input[pos]!)) pos++;
      if (input[pos] === '.' && DIGIT.test(input[pos + 1] ?? '')) {
        pos++;
        while (pos < input.length && DIGIT.test(input[pos]!)) pos++;
      }
      if (pos < input.length && WORD_PART.test(input[pos]!)) fail('malformed number', at);
      tokens.push({ type: 'number', text: input.slice(at, pos), at });
    } else if (ch === "'" || ch === '"') {
      pos++;
      let text = '';
      const wild: boolean[] = [];
      for (;;) {
        if (pos >= input.length) fail('unterminated string', at);
        const c = input[pos]!;
        if (c === ch) break;
        if (c === '\\' && pos + 1 < input.length) {
          text += input[pos + 1];
          wild.push(false);
          pos += 2;
        } else {
          text += c;
          wild.push(c === '%');
          pos++;
        }
      }
      pos++;
      tokens.push({ type: 'string', text, at, wild });
    } else {
      const two = input.slice(pos, pos + 2);
      if (two === '!=' || two === '>=' || two === '<=') {
        tokens.push({ type: 'punct', text: two, at });
        pos += 2;
      } else if ('(),.;=<>*'.includes(ch)) {
        tokens.push({ type: 'punct', text: ch, at });
        pos++;
      } else fail(`unexpected character '${ch}'`, at);
    }
  }
  tokens.push({ type: 'end', text: '', at: input.length });
  return tokens;
}

export function parseCoql(input: string): CoqlQuery {
  const tokens = tokenize(input);
  let i = 0;
  const peek = () => tokens[i]!;
  const next = () => tokens[i++]!;
  const fail = (reason: string, token: Token = peek()): never => {
    throw new CoqlSyntaxError(
      token.at,
      reason,
      token.type === 'end' ? '' : input.slice(token.at, token.at + 20),
    );
  };
  const isKeyword = (word: string, t = peek()) => t.type === 'keyword' && t.text === word;
  const isPunct = (p: string, t = peek()) => t.type === 'punct' && t.text === p;
  const expectKeyword = (word: string, reason: string) => {
    if (!isKeyword(word)) fail(reason);
    i++;
  };
  const expectPunct = (p: string, reason: string) => {
    if (!isPunct(p)) fail(reason);
    i++;
  };

  const name = (what: string): string => {
    const t = peek();
    if (t.type !== 'word')
      fail(
        t.type === 'keyword' ? `'${t.text}' is a keyword: quote it to use it as ${what}` : `expected ${what}`,
      );
    i++;
    return t.text;
  };

  const column = (): CoqlColumn => {
    const t = peek();
    if (t.type === 'string') {
      i++;
      if (!/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(t.text)) fail('expected a field API name', t);
      return { path: [t.text], at: t.at };
    }
    const path = [name('a field API name')];
    while (isPunct('.')) {
      i++;
      path.push(name('a field API name after the dot'));
    }
    return { path, at: t.at };
  };

  const value = (): CoqlValue => {
    const t = next();
    switch (t.type) {
      case 'string':
        return { kind: 'string', text: t.text, at: t.at, wild: t.wild ?? [] };
      case 'number':
        return { kind: 'number', text: t.text, at: t.at };
      case 'word':
        return { kind: 'word', text: t.text, at: t.at };
      case 'keyword':
        if (t.text === 'true' || t.text === 'false') return { kind: 'boolean', text: t.text, at: t.at };
        if (t.text === 'null') return fail("compare with null using 'is null' or 'is not null'", t);
        return fail('expected a value', t);
      default:
        return fail('expected a value', t);
    }
  };

  const criterion = (): CoqlCondition => {
    const col = column();
    const at = peek().at;
    const t = peek();
    const simple = ['=', '!=', '>', '>=', '<', '<='] as const;
    if (t.type === 'punct' && (simple as readonly string[]).includes(t.text)) {
      i++;
      return { kind: 'criterion', column: col, comparator: t.text as Comparator, values: [value()], at };
    }
    let negated = false;
    if (isKeyword('is')) {
      i++;
      if (isKeyword('not')) {
        i++;
        negated = true;
      }
      expectKeyword('null', "expected 'null' after 'is'");
      return {
        kind: 'criterion',
        column: col,
        comparator: negated ? 'is not null' : 'is null',
        values: [],
        at,
      };
    }
    if (isKeyword('not')) {
      i++;
      negated = true;
    }
    const not = negated ? 'not ' : '';
    if (isKeyword('like')) {
      i++;
      const v = value();
      if (v.kind !== 'string') fail("'like' takes a quoted pattern", tokens[i - 1]);
      return { kind: 'criterion', column: col, comparator: `${not}like` as Comparator, values: [v], at };
    }
    if (isKeyword('in')) {
      i++;
      expectPunct('(', "expected '(' after 'in'");
      const values = [value()];
      while (isPunct(',')) {
        i++;
        values.push(value());
      }
      expectPunct(')', "expected ',' or ')' in the list of values");
      return { kind: 'criterion', column: col, comparator: `${not}in` as Comparator, values, at };
    }
    if (isKeyword('between')) {
      i++;
      const lo = value();
      expectKeyword('and', "expected 'and' between the two values of 'between'");
      const hi = value();
      return {
        kind: 'criterion',
        column: col,
        comparator: `${not}between` as Comparator,
        values: [lo, hi],
        at,
      };
    }
    return fail(negated ? "expected 'like', 'in' or 'between' after 'not'" : 'expected a comparator');
  };

  const condition = (depth: number): CoqlCondition => {
    if (depth > MAX_DEPTH) fail('the query is too complex');
    const term = (): CoqlCondition => {
      if (!isPunct('(')) return criterion();
      i++;
      const inner = condition(depth + 1);
      expectPunct(')', "expected ')'");
      return inner;
    };
    const left = term();
    const t = peek();
    if (!isKeyword('and') && !isKeyword('or')) return left;
    i++;
    const right = term();
    if (isKeyword('and') || isKeyword('or'))
      fail('more than two criteria must be enclosed in brackets, as in (A and (B and C))');
    return { kind: t.text as 'and' | 'or', left, right };
  };

  const whole = (what: string): { value: number; at: number } => {
    const t = peek();
    if (t.type !== 'number' || !/^[0-9]{1,9}$/.test(t.text)) fail(`${what} takes a whole number`);
    i++;
    return { value: Number(t.text), at: t.at };
  };

  if (peek().type === 'end') fail('the query is empty');
  expectKeyword('select', 'only a select query is allowed');
  if (isPunct('*')) fail("'*' is not allowed: name the fields to select");
  const select = [column()];
  while (isPunct(',')) {
    i++;
    select.push(column());
  }
  expectKeyword('from', "expected ',' or 'from' after the selected fields");
  const fromToken = peek();
  const from = { name: name('a module API name'), at: fromToken.at };
  let where: CoqlCondition | null = null;
  if (isKeyword('where')) {
    i++;
    where = condition(0);
  }
  let orderBy: CoqlQuery['orderBy'] = null;
  if (isKeyword('order')) {
    i++;
    expectKeyword('by', "expected 'by' after 'order'");
    const col = column();
    let desc = false;
    if (isKeyword('asc') || isKeyword('desc')) desc = next().text === 'desc';
    orderBy = { column: col, desc };
  }
  let limit: CoqlQuery['limit'] = null;
  let offset: CoqlQuery['offset'] = null;
  if (isKeyword('limit')) {
    i++;
    limit = whole("'limit'");
    if (isPunct(',')) {
      i++;
      offset = limit;
      limit = whole("'limit'");
    }
  }
  if (offset === null && isKeyword('offset')) {
    i++;
    offset = whole("'offset'");
  }
  if (isPunct(';')) i++;
  if (peek().type !== 'end')
    fail(where === null && isKeyword('and') ? "expected 'where'" : 'unexpected text');
  return { select, from, where, orderBy, limit, offset };
}
