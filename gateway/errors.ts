/**
 * What clients see of failures behind the gateway: a subgraph that cannot be reached or does
 * not answer in time becomes one clear, stable error on the fields it owns, naming the service
 * and never its address or the subrequest; anything unexpected is masked.
 */
import { GraphQLError } from 'graphql';
import { isKnownCode } from '../subgraphs/common/graphql/errors.js';

type Extensions = { code?: unknown; serviceName?: unknown };

/** The yoga masking contract: (error, default message) → the error clients receive. */
export function createErrorMasker(options: { upstreamTimeoutMs: number }) {
  return function maskGatewayError(error: unknown, message: string): Error {
    const graphqlError = error instanceof GraphQLError ? error : fromPlainObject(error);
    const extensions = (graphqlError?.extensions ?? {}) as Extensions;
    const original = graphqlError?.originalError as (Error & { extensions?: Extensions }) | undefined;
    const code = extensions.code ?? original?.extensions?.code;
    const service = () => String(extensions.serviceName ?? original?.extensions?.serviceName ?? 'a');
    if (code === 'SUBREQUEST_HTTP_ERROR') {
      return new GraphQLError(`The ${service()} service is unavailable; fields it owns are missing from this answer. Try again shortly.`, {
        path: graphqlError?.path,
        extensions: { code: 'SERVICE_UNAVAILABLE', serviceName: service() },
      });
    }
    if (code === 'GATEWAY_TIMEOUT') {
      return new GraphQLError(
        `The ${service()} service did not answer within ${options.upstreamTimeoutMs / 1000} s; fields it owns are missing from this answer. Try again shortly.`,
        { path: graphqlError?.path, extensions: { code: 'UPSTREAM_TIMEOUT', serviceName: service() } },
      );
    }
    if (graphqlError && isOriginal(graphqlError)) return graphqlError;
    return new GraphQLError(message, { path: graphqlError?.path, nodes: graphqlError?.nodes, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  };
}

/**
 * With the Rust planner, a subgraph's errors in subscription events arrive as plain
 * `{ message, path, extensions }` objects: the same error the JS planner hands over as a
 * GraphQLError, so it gets the same treatment (a FORBIDDEN stays FORBIDDEN, not INTERNAL).
 */
function fromPlainObject(error: unknown): GraphQLError | undefined {
  if (typeof error !== 'object' || error === null || error instanceof Error) return undefined;
  const { message, path, extensions } = error as { message?: unknown; path?: unknown; extensions?: unknown };
  if (typeof message !== 'string') return undefined;
  const ext = typeof extensions === 'object' && extensions !== null ? (extensions as Record<string, unknown>) : undefined;
  // Only a deliberate error, one with a code we know, keeps its message: anything else is given an
  // original error, which the masker treats as a crash.
  const deliberate = isKnownCode(ext?.code);
  return new GraphQLError(message, {
    path: Array.isArray(path) ? (path as (string | number)[]) : undefined,
    extensions: ext,
    ...(deliberate ? {} : { originalError: new Error(message) }),
  });
}

/** An error raised as a GraphQLError (validation, authorization…), not one wrapping a crash. */
function isOriginal(error: GraphQLError): boolean {
  const cause = error.originalError;
  return !cause || (cause instanceof GraphQLError && isOriginal(cause));
}
