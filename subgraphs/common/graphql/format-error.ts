/**
 * Apollo Server's `formatError` for every subgraph: keeps deliberate GraphQL errors (ours,
 * graphql-js validation and coercion) with a known code, masks everything else as
 * INTERNAL_SERVER_ERROR after logging it.
 */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { isKnownCode } from './errors.js';

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
        extensions: { ...formatted.extensions, stacktrace: undefined, code: isKnownCode(code) ? code : 'INTERNAL_SERVER_ERROR' },
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
