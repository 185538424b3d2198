/**
 * Failures. Expected ones are values: classes below are thrown by domain code and turned into
 * typed members of a mutation's result union by the Pothos errors plugin. Everything else is a
 * GraphQL error whose `extensions.code` comes from ERROR_CODES; anything unexpected (a database
 * error, a bug) is logged and masked as INTERNAL_SERVER_ERROR, never shown to the client.
 */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';

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

export function graphQLError(code: ErrorCode, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

export interface FieldProblem {
  /** Path of the offending input field, e.g. ["input", "nationalId"]. */
  path: string[];
  message: string;
}

/** Base of every expected failure: a stable machine-readable code and a message for people. */
export abstract class DomainError extends Error {
  abstract readonly code: string;
}

export class ValidationError extends DomainError {
  readonly code = 'VALIDATION_FAILED';
  constructor(readonly fields: FieldProblem[]) {
    super(fields.length === 1 ? fields[0]!.message : `${fields.length} input fields are invalid`);
    this.name = 'ValidationError';
  }
}

export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND';
  constructor(readonly entity: string, readonly id: string) {
    super(`${entity} ${id} does not exist`);
    this.name = 'NotFoundError';
  }
}

/** A request that conflicts with the current state (e.g. an idempotency key reused for other input). */
export class ConflictError extends DomainError {
  readonly code = 'CONFLICT';
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}

/** Collects problems while validating input, then throws them together. */
export class Problems {
  private readonly list: FieldProblem[] = [];
  add(path: string[], message: string): this {
    this.list.push({ path, message });
    return this;
  }
  check(ok: boolean, path: string[], message: string): this {
    if (!ok) this.add(path, message);
    return this;
  }
  get empty(): boolean {
    return this.list.length === 0;
  }
  throwIfAny(): void {
    if (this.list.length) throw new ValidationError(this.list);
  }
}

const KNOWN = new Set<string>(ERROR_CODES);

/** Apollo `formatError`: keeps deliberate GraphQL errors, masks everything else. */
export function createErrorFormatter(logError: (error: unknown) => void) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof GraphQLError) {
      // Deliberate errors (ours, graphql-js validation and coercion) keep their message.
      const code = formatted.extensions?.code;
      return {
        message: formatted.message,
        ...(formatted.locations ? { locations: formatted.locations } : {}),
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { ...formatted.extensions, stacktrace: undefined, code: typeof code === 'string' && KNOWN.has(code) ? code : 'INTERNAL_SERVER_ERROR' },
      };
    }
    logError(original);
    return {
      message: 'Internal server error',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
