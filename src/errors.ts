/**
 * One enum of error codes. Expected errors are AppErrors and carry one; anything else is
 * unexpected and reaches a client only as INTERNAL_SERVER_ERROR with a request id.
 * AppError belongs to no protocol: the data layer, the loader, the CLI and /export throw and
 * catch it as it is, and src/apollo.ts turns it into a GraphQL error at the API's boundary.
 */

export enum ErrorCode {
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  NOT_FOUND = 'NOT_FOUND',
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  QUERY_TIMEOUT = 'QUERY_TIMEOUT',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

export class AppError extends Error {
  readonly code: ErrorCode;
  /** What a client is shown beside the message: the code and the details (argument, value, limit). */
  readonly extensions: Readonly<{ code: ErrorCode } & Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.code = code;
    this.extensions = Object.freeze({ code, ...details });
    this.name = 'AppError';
  }
}

/** An argument broke a rule: names the argument, the limit and the value. */
export function badInput(argument: string, rule: string, value: unknown): AppError {
  return new AppError(
    ErrorCode.BAD_USER_INPUT,
    `Argument "${argument}" ${rule}; got ${JSON.stringify(value)}.`,
    { argument, value },
  );
}
