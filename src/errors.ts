/**
 * One enum of error codes. Expected errors are AppErrors and carry one; anything else is
 * unexpected and reaches a client only as INTERNAL_SERVER_ERROR with a request id.
 */
import { GraphQLError } from 'graphql';

export enum ErrorCode {
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  NOT_FOUND = 'NOT_FOUND',
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  QUERY_TIMEOUT = 'QUERY_TIMEOUT',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

export class AppError extends GraphQLError {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...details } });
    this.code = code;
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
