/**
 * Runs a subgraph's queries with graphql-jit instead of graphql-js's interpreter.
 *
 * A capacity board is about 1,500 field resolutions; graphql-js walks the selection for each of
 * them (argument values, completion, a promise per object with a promised field), and that walk
 * was the largest share of a subgraph's CPU per board in the profile. graphql-jit compiles each
 * operation once into a function that does the same work without the walk. The resolvers are the
 * same functions (authorization wrappers included), so no rule changes.
 *
 * What stays with graphql-js, on purpose:
 * - mutations (write paths, where field overhead is nothing next to the transaction), and
 *   introspection (`__schema`, `__type`; rare, and graphql-js is its reference);
 * - variable coercion and its error messages: the variables are checked by graphql-js first and a
 *   bad value gets graphql-js's answer, so clients see the same errors as before;
 * - any operation graphql-jit cannot compile.
 *
 * One difference to know: graphql-jit's default resolver reads a property and, unlike graphql-js's,
 * does not call it when it is a function. Every field of our schemas has a resolver of its own
 * (Pothos makes one for each field, `expose*` included), so no field relies on that.
 *
 * Compiled operations are kept per parsed document (a WeakMap): Apollo Server's document store
 * keeps the parsed document of each query text in a bounded LRU and hands the same object back,
 * so the compiled functions live exactly as long as the documents they were made from.
 *
 * Apollo Server takes a custom executor through its gateway interface: this is a "gateway" that
 * serves one fixed schema.
 */
import { execute, getVariableValues, Kind, visit, BREAK, type DocumentNode, type ExecutionResult, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';

/** What one operation of a document runs with. */
type Plan = { jit: CompiledQuery } | { jit: undefined };

/** How many operations were compiled, and how many requests ran interpreted (for tests and profiles). */
export interface JitStats {
  compiled: number;
  interpreted: number;
}

export function jitExecutor(schema: GraphQLSchema): GatewayExecutor & { stats: JitStats } {
  const plans = new WeakMap<DocumentNode, Map<string, Plan>>();
  const stats: JitStats = { compiled: 0, interpreted: 0 };

  const planFor = (document: DocumentNode, operation: OperationDefinitionNode, operationName: string | null): Plan => {
    let byName = plans.get(document);
    if (!byName) plans.set(document, (byName = new Map()));
    const key = operationName ?? '';
    let plan = byName.get(key);
    if (!plan) {
      plan = { jit: undefined };
      if (operation.operation === 'query' && !asksForIntrospection(document)) {
        const compiled = compileQuery(schema, document, operationName ?? undefined, { disablingCapturingStackErrors: true });
        if (isCompiledQuery(compiled)) {
          plan = { jit: compiled };
          stats.compiled += 1;
        }
      }
      byName.set(key, plan);
    }
    return plan;
  };

  const run: GatewayExecutor = async (request) => {
    const { document, operation, operationName, context } = request;
    const variables = request.request.variables ?? {};
    const plan = planFor(document, operation, operationName);
    if (plan.jit) {
      const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
      if (coerced.errors) return { errors: coerced.errors };
      return (await plan.jit.query(undefined, context, variables)) as ExecutionResult;
    }
    stats.interpreted += 1;
    return execute({ schema, document, contextValue: context, variableValues: variables, operationName });
  };
  return Object.assign(run, { stats });
}

function asksForIntrospection(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    [Kind.FIELD](node) {
      if (node.name.value === '__schema' || node.name.value === '__type') {
        found = true;
        return BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/** Apollo Server's gateway interface around one fixed schema and the executor above. */
export function jitGateway(schema: GraphQLSchema): GatewayInterface {
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => {};
    },
    async load() {
      return { executor: jitExecutor(schema) };
    },
    async stop() {},
  };
}
