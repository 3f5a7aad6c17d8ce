import { GraphQLError, locatedError } from 'graphql';
import { AppError, badInput, ErrorCode } from '../../src/errors';
import { maskError } from '../../src/apollo';

function formatted(error: GraphQLError) {
  return error.toJSON();
}

describe('error masking', () => {
  it('keeps an expected error with its code and message', () => {
    // As graphql-js hands a resolver's error to formatError: wrapped, with the field's path.
    const error = locatedError(badInput('first', 'must be an integer from 1 to 100', 101), undefined, ['entities']);
    expect(maskError(formatted(error), error)).toEqual({
      message: 'Argument "first" must be an integer from 1 to 100; got 101.',
      path: ['entities'],
      extensions: { code: ErrorCode.BAD_USER_INPUT, argument: 'first', value: 101 },
    });
  });

  it('an expected error is not a GraphQL error: the CLI and /export get it as it is', () => {
    const error = badInput('first', 'must be an integer from 1 to 100', 101);
    expect(error).not.toBeInstanceOf(GraphQLError);
    expect(error.extensions).toEqual({ code: ErrorCode.BAD_USER_INPUT, argument: 'first', value: 101 });
  });

  it('turns an unexpected error into a generic INTERNAL_SERVER_ERROR without its message', () => {
    const original = new Error('Neo.ClientError.Statement.SyntaxError: secret query text');
    const wrapped = new GraphQLError(original.message, { originalError: original, path: ['search'] });
    const masked = maskError(formatted(wrapped), wrapped);
    expect(masked).toEqual({ message: 'Unexpected error.', path: ['search'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(JSON.stringify(masked)).not.toContain('secret');
  });

  it('keeps GraphQL validation errors, which say what is wrong with the query', () => {
    const error = new GraphQLError('Cannot query field "nope" on type "Query".', { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect(maskError(formatted(error), error).message).toBe('Cannot query field "nope" on type "Query".');
  });

  it('AppError carries its code as a property too', () => {
    expect(new AppError(ErrorCode.NOT_FOUND, 'x').code).toBe('NOT_FOUND');
  });
});
