import { sqlField } from '../search-indexes.js';
import type { SearchSql } from '../sql/dialect.js';

/**
 * Record search in PostgreSQL. Text is `lower(fields ->> 'F') COLLATE "C"`, so that equality and
 * prefix ranges use the index and compare bytewise (as SQLite does).
 */
export const PG_SEARCH: SearchSql = {
  target(target) {
    if ('column' in target) {
      const c = target.column;
      const time = c === 'created_at' || c === 'modified_at';
      if (c === 'name')
        return { expr: 'lower(name) COLLATE "C"', guard: 'name IS NOT NULL', cast: 'text', text: true };
      return {
        expr: time ? c : `${c} COLLATE "C"`,
        guard: `${c} IS NOT NULL`,
        cast: time ? 'bigint' : 'text',
        text: false,
      };
    }
    const name = sqlField(target.field);
    const typeIs = (type: string) => `json_typeof(fields -> '${name}') = '${type}'`;
    // The CASE keeps the cast away from values that are not of the kind.
    const typed = (type: string, cast: string) => ({
      expr: `(CASE WHEN ${typeIs(type)} THEN (fields ->> '${name}')::${cast} END)`,
      guard: typeIs(type),
      cast,
      text: false,
    });
    switch (target.as) {
      case 'text':
        return {
          expr: `lower(fields ->> '${name}') COLLATE "C"`,
          guard: `json_typeof(fields -> '${name}') IN ('string', 'number')`,
          cast: 'text',
          text: true,
        };
      case 'date':
        return {
          expr: `(fields ->> '${name}') COLLATE "C"`,
          guard: typeIs('string'),
          cast: 'text',
          text: false,
        };
      case 'number':
        return typed('number', 'numeric');
      case 'boolean':
        return typed('boolean', 'boolean');
      case 'lookup':
        return {
          expr: `(fields -> '${name}' ->> 'id') COLLATE "C"`,
          guard: `json_typeof(fields -> '${name}' -> 'id') = 'string'`,
          cast: 'text',
          text: false,
        };
    }
  },
  typed: (param, cast) => `${param}::${cast}`,
  isNotTrue: ' IS NOT TRUE',
  maxChar: 'chr(1114111)',
  hasPrefix: (expr, p) => `starts_with(${expr}, ${p})`,
  hasSuffix: (expr, p) => `right(${expr}, char_length(${p})) = ${p}`,
  contains: (expr, p) => `strpos(${expr}, ${p}) > 0`,
  // `org_id || ''` and `id || ''`: expressions no index of the module matches.
  outer: (module, served) => `${served ? "(org_id || '')" : 'org_id'} = $1 AND module = '${module}'`,
  orderId: (served) => ({ length: 'length(id)', id: served ? `(id || '') COLLATE "C"` : 'id COLLATE "C"' }),
};
