import {
  APIConnectionError,
  APIUserAbortError,
  AuthenticationError,
  AuthorizationFailedError,
  BadRequestError,
  InternalServerError,
  InvalidDataError,
  NotFoundError,
  OAuthError,
  PayloadTooLargeError,
  PermissionDeniedError,
  RateLimitError,
} from '../errors.js';

/** Process exit codes, one per error class family, so scripts can branch without parsing text. */
export const EXIT = {
  OK: 0,
  UNEXPECTED: 1,
  USAGE: 2,
  AUTHENTICATION: 3,
  PERMISSION: 4,
  NOT_FOUND: 5,
  BAD_REQUEST: 6,
  RATE_LIMITED: 7,
  SERVER_ERROR: 8,
  CONNECTION: 9,
  PARTIAL_FAILURE: 10,
  INTERRUPTED: 130,
} as const;

/** Thrown by commands for conditions that are not API errors (not logged in, bad input). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export function exitCodeFor(error: unknown): number {
  if (error instanceof CliError) return error.exitCode;
  if (error instanceof OAuthError || error instanceof AuthenticationError) return EXIT.AUTHENTICATION;
  if (error instanceof PermissionDeniedError || error instanceof AuthorizationFailedError)
    return EXIT.PERMISSION;
  if (error instanceof InvalidDataError || error instanceof NotFoundError) return EXIT.NOT_FOUND;
  if (error instanceof BadRequestError || error instanceof PayloadTooLargeError) return EXIT.BAD_REQUEST;
  if (error instanceof RateLimitError) return EXIT.RATE_LIMITED;
  if (error instanceof InternalServerError) return EXIT.SERVER_ERROR;
  if (error instanceof APIConnectionError) return EXIT.CONNECTION;
  if (error instanceof APIUserAbortError) return EXIT.INTERRUPTED;
  return EXIT.UNEXPECTED;
}
