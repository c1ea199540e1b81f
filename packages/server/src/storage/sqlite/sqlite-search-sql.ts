import { sqlField } from '../search-indexes.js';
import type { SearchSql } from '../sql/dialect.js';

/**
 * Record search in SQLite. Text is `lower(json_extract(fields, '$.F'))`; a prefix is a range on
 * it (which the index serves) plus an exact `substr` check.
 */
export const SQLITE_SEARCH: SearchSql = {
  target(target) {
    if ('column' in target) {
      const c = target.column;
      const text = c === 'name';
      return { expr: text ? 'lower(name)' : c, guard: `${c} IS NOT NULL`, cast: '', text };
    }
    const path = `'$.${sqlField(target.field)}'`;
    const at = (types: string) => ({
      expr: `json_extract(fields, ${path})`,
      guard: `json_type(fields, ${path}) ${types}`,
    });
    switch (target.as) {
      case 'text':
        return {
          expr: `lower(json_extract(fields, ${path}))`,
          guard: `json_type(fields, ${path}) IN ('text', 'integer', 'real')`,
          cast: '',
          text: true,
        };
      case 'date':
        return { ...at(`= 'text'`), cast: '', text: false };
      case 'number':
        return { ...at(`IN ('integer', 'real')`), cast: '', text: false };
      case 'boolean':
        return { ...at(`IN ('true', 'false')`), cast: '', text: false };
      case 'lookup':
        return {
          expr: `json_extract(fields, '$.${sqlField(target.field)}.id')`,
          guard: `json_type(fields, '$.${target.field}.id') = 'text'`,
          cast: '',
          text: false,
        };
    }
  },
  typed: (param) => param,
  isNotTrue: ' IS NOT 1',
  maxChar: 'char(1114111)',
  hasPrefix: (expr, p) => `substr(${expr}, 1, length(${p})) = ${p}`,
  hasSuffix: (expr, p) =>
    `length(${expr}) >= length(${p}) AND substr(${expr}, length(${expr}) - length(${p}) + 1) = ${p}`,
  contains: (expr, p) => `instr(${expr}, ${p}) > 0`,
  // `+`, which SQLite would otherwise pass over for the module's own index, without statistics.
  outer: (module, served) =>
    served ? `+org_id = $1 AND +module = '${module}'` : `org_id = $1 AND module = '${module}'`,
  // Always `+id`: otherwise, without statistics, SQLite walks the module's id index in order and
  // filters every row, a scan of the module, instead of looking the value up in its search index
  // and sorting the few matches.
  orderId: () => ({ length: 'length(+id)', id: '+id' }),
};
