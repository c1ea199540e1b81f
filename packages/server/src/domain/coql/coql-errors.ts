import { AppError } from '../errors.js';

/** Whole-request refusals of COQL, each naming its rule (docs/coql.md, decision D21). */
export const coqlErrors = {
  syntax: (reason: string, position: number, near: string) =>
    new AppError('COQL_SYNTAX_ERROR', `coql syntax: ${reason}`, { reason, position, near }),
  invalidQuery: (reason: string, details: Record<string, unknown> = {}) =>
    new AppError('INVALID_QUERY', `coql query: ${reason}`, { ...details, reason }),
  invalidColumn: (column: string, position: number) =>
    new AppError('INVALID_QUERY', 'coql column', { column_name: column, position, reason: 'invalid column' }),
  invalidModule: (module: string) =>
    new AppError('INVALID_QUERY', 'coql module', { module_name: module, reason: 'invalid module' }),
  limit: (by: string, limit: number) =>
    new AppError('COQL_LIMIT_EXCEEDED', `coql limit: ${by}`, { by, limit }),
  maxRecords: (limit: number) => new AppError('COQL_MAX_RECORDS', 'coql max-records', { limit }),
  duplicateColumn: (column: string) =>
    new AppError('COQL_DUPLICATE_COLUMN', 'coql duplicate-column', { column_name: column }),
  selectQueryMissing: () =>
    new AppError('BODY_MANDATORY_NOT_FOUND', 'coql body', {
      api_name: 'select_query',
      json_path: '$.select_query',
    }),
  selectQueryNotText: () =>
    new AppError('INVALID_DATA', 'coql body', {
      api_name: 'select_query',
      json_path: '$.select_query',
      expected_data_type: 'string',
    }),
  notServed: (what: string) => new AppError('NOT_SUPPORTED_HERE', `coql not-implemented: ${what}`),
  joinsNotServed: (column: string) =>
    new AppError('NOT_SUPPORTED_HERE', `coql not-implemented: join ${column}`, { column_name: column }),
};
