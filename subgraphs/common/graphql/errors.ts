/**
 * Failures as GraphQL shows them. Expected ones are values: domain errors (../domain/errors.ts)
 * become typed members of a mutation's result union by the Pothos errors plugin. Everything else
 * is a GraphQL error whose `extensions.code` comes from ERROR_CODES; anything unexpected (a
 * database error, a bug) is masked as INTERNAL_SERVER_ERROR by the server's formatter
 * (format-error.ts), never shown to the client.
 */
import { GraphQLError } from 'graphql';

/** The closed list of `extensions.code` values a client can meet. */
export const ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'NOT_FOUND',
  'RATE_LIMITED',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_SERVER_ERROR',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

const KNOWN_CODES = new Set<string>(ERROR_CODES);

/** Is this one of our error codes, the mark of a deliberate error whose message may be shown? */
export const isKnownCode = (code: unknown): code is ErrorCode => typeof code === 'string' && KNOWN_CODES.has(code);

export function graphQLError(code: ErrorCode, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}
