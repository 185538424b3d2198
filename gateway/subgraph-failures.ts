/**
 * With the Rust planner, a subgraph that cannot be reached or does not answer in time left its
 * error on the entity it was asked about (`["covered"]`), or on no path at all when the upstream
 * timeout fired, where the JS planner names each field the subgraph owns
 * (`["covered", "vaccination"]`). This plugin gives the Rust executor what it needs to do the
 * same: when a subgraph request fails as a whole, its error is set on every field that request
 * asked for, as the subgraph itself would have reported it (`["_entities", 0, "vaccination"]`),
 * and the executor maps those paths onto the client's response as it does for any subgraph error.
 */
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { isKnownCode } from '../subgraphs/common/graphql/errors.js';
import {
  GraphQLError,
  Kind,
  getOperationAST,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLFormattedError,
  type SelectionSetNode,
} from 'graphql';

type Path = (string | number)[];
type Executor = (request: { document: DocumentNode; variables?: Record<string, unknown> }) => unknown;

export function subgraphFailuresOnFields(): GatewayPlugin {
  return {
    onSubgraphExecute({ subgraphName, executionRequest, executor, setExecutor }) {
      const operation = getOperationAST(executionRequest.document);
      // A subscription's failure is the stream's, not a field's.
      if (!operation || operation.operation === 'subscription') return;
      const inner = executor as Executor;
      setExecutor((async (request: Parameters<Executor>[0]) => {
        const paths = () => fieldPaths(request.document, request.variables ?? {});
        let result: unknown;
        try {
          result = await inner(request);
        } catch (error) {
          if (!(error instanceof Error)) throw error;
          return { data: null, errors: onFields(error, subgraphName, paths()) };
        }
        if (!isFailedResult(result)) return result;
        // The whole request failed (no data): errors the subgraph did not place are placed on its fields.
        const errors = result.errors.flatMap((error) => (error.path ? [error] : onFields(error, subgraphName, paths())));
        return { ...result, errors };
      }) as typeof executor);
    },
  };
}

function isFailedResult(result: unknown): result is { data?: null; errors: (GraphQLError | GraphQLFormattedError)[] } {
  if (typeof result !== 'object' || result === null || Symbol.asyncIterator in result) return false;
  const { data, errors } = result as { data?: unknown; errors?: unknown };
  return data == null && Array.isArray(errors) && errors.length > 0;
}

export function onFields(error: Error | GraphQLError | GraphQLFormattedError, subgraphName: string, paths: Path[]): GraphQLError[] {
  // Only the code and the service travel on: a transport or parse failure may carry the
  // subgraph's address or response body in its other extensions.
  const code = ('extensions' in error && error.extensions?.code) || undefined;
  const extensions = { ...(code === undefined ? {} : { code }), serviceName: subgraphName };
  // A deliberate error (a code we know, e.g. UNAUTHENTICATED) keeps its message; anything else gets
  // an original error, so that the gateway's masker treats it as the crash it is.
  const deliberate = isKnownCode(code);
  const originalError = error instanceof GraphQLError ? (error.originalError ?? undefined) : error instanceof Error ? error : undefined;
  const options = { extensions, originalError: originalError ?? (deliberate ? undefined : new Error(error.message)) };
  if (paths.length === 0) return [new GraphQLError(error.message, options)];
  return paths.map((path) => new GraphQLError(error.message, { path, ...options }));
}

const key = (field: FieldNode) => field.alias?.value ?? field.name.value;

/**
 * The response paths of the fields a subgraph request asked for: each root field, and for an
 * entity fetch (`_entities(representations: $r)`, aliased when batched) each field selected on
 * each representation's type.
 */
export function fieldPaths(document: DocumentNode, variables: Record<string, unknown>): Path[] {
  const operation = getOperationAST(document);
  if (!operation) return [];
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d] as const),
  );
  const paths: Path[] = [];
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || selection.name.value === '__typename') continue;
    if (selection.name.value !== '_entities') {
      paths.push([key(selection)]);
      continue;
    }
    const argument = selection.arguments?.find((a) => a.name.value === 'representations');
    const representations = argument?.value.kind === Kind.VARIABLE ? variables[argument.value.name.value] : undefined;
    if (!Array.isArray(representations) || !selection.selectionSet) continue;
    representations.forEach((representation: unknown, index) => {
      const typename = (representation as { __typename?: unknown } | null)?.__typename;
      for (const field of fieldsOn(selection.selectionSet!, typeof typename === 'string' ? typename : undefined, fragments)) paths.push([key(selection), index, key(field)]);
    });
  }
  return paths;
}

/** The fields selected for an object of this type (fragments on other types left out). */
function fieldsOn(selectionSet: SelectionSetNode, typename: string | undefined, fragments: Map<string, FragmentDefinitionNode>): FieldNode[] {
  const fields: FieldNode[] = [];
  const applies = (on: string | undefined) => on === undefined || typename === undefined || on === typename;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value !== '__typename') fields.push(selection);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (applies(selection.typeCondition?.name.value)) fields.push(...fieldsOn(selection.selectionSet, typename, fragments));
    } else {
      const fragment = fragments.get(selection.name.value);
      if (fragment && applies(fragment.typeCondition.name.value)) fields.push(...fieldsOn(fragment.selectionSet, typename, fragments));
    }
  }
  return fields;
}
