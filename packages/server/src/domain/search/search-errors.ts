import { AppError } from '../errors.js';

/** Whole-request refusals of search, each naming its rule (docs/search.md). */
export const searchErrors = {
  paramMissing: () => new AppError('SEARCH_PARAM_MISSING', 'search param-missing'),
  invalidQuery: (reason: string, details: Record<string, unknown> = {}) =>
    new AppError('INVALID_QUERY', `search criteria: ${reason}`, { ...details, reason }),
  tooShort: (param: string) =>
    new AppError('INVALID_DATA', `search ${param}: fewer than 2 characters`, { param_name: param }),
  limitReached: (limit: number) => new AppError('SEARCH_LIMIT_REACHED', 'search limit', { limit }),
};
