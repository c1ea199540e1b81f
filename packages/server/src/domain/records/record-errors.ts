import { AppError } from '../errors.js';

/** Whole-request refusals of the records API, each naming its rule (docs/records.md). */
export const recordErrors = {
  noModulePermission: (permission: string) =>
    new AppError('NO_PERMISSION', `records profile-permission: ${permission}`),
  invalidJson: (why: string) => new AppError('INVALID_JSON_BODY', `records body: ${why}`),
  bodyTooLarge: (limit: number) => new AppError('REQUEST_BODY_TOO_LARGE', 'records body-size', { limit }),
  bodyTooDeep: (maximumDepth: number) =>
    new AppError('REQUEST_BODY_TOO_DEEP', 'records body-depth', { maximum_depth: maximumDepth }),
  dataMissing: () =>
    new AppError('BODY_MANDATORY_NOT_FOUND', 'records body-data', { api_name: 'data', json_path: '$.data' }),
  dataNotArray: () =>
    new AppError('INVALID_DATA', 'records body-data', {
      api_name: 'data',
      json_path: '$.data',
      expected_data_type: 'jsonarray',
    }),
  dataEmpty: () =>
    new AppError('INVALID_DATA', 'records body-data-empty', { api_name: 'data', json_path: '$.data' }),
  tooManyRecords: (limit: number) =>
    new AppError('RECORDS_LIMIT_EXCEEDED', 'records limit', { limit, json_path: '$.data' }),
  tooManyIds: (limit: number) =>
    new AppError('RECORDS_LIMIT_EXCEEDED', 'records ids-limit', { limit, param_name: 'ids' }),
  paramMissing: (param: string) =>
    new AppError('REQUIRED_PARAM_MISSING', `records param-missing: ${param}`, { param_name: param }),
  invalidParam: (param: string) =>
    new AppError('INVALID_DATA', `records param: ${param}`, { param_name: param }),
  pageLimit: (limit: number) =>
    new AppError('DISCRETE_PAGINATION_LIMIT_EXCEEDED', 'records page-limit', { limit }),
};
