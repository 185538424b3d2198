/**
 * The subgraphs' graphql-jit executor answers as graphql-js does: data, errors with their paths,
 * variable errors word for word, and it leaves mutations and introspection to graphql-js.
 */
import { describe, expect, it } from '@jest/globals';
import { buildSchema, execute, parse, getOperationAST, GraphQLError, type DocumentNode, type GraphQLSchema } from 'graphql';
import { jitExecutor } from '../../subgraphs/common/graphql/jit-executor.js';

const schema: GraphQLSchema = buildSchema(`
  enum Kind { GENERAL ICU }
  type Bed { kind: Kind! total: Int! }
  type Facility { id: ID! beds: [Bed!]! broken: Int later: String }
  type Query { facilities(first: Int!): [Facility!]! }
  type Mutation { touch(id: ID!): Facility }
`);

const calls: string[] = [];
const facilities = (first: number) =>
  Array.from({ length: first }, (_, i) => ({
    id: `F-${i}`,
    beds: [{ kind: 'GENERAL', total: i }, { kind: 'ICU', total: 1 }],
  }));
const rootValue = {
  facilities: ({ first }: { first: number }) => facilities(first),
  touch: ({ id }: { id: string }) => {
    calls.push(id);
    return { id, beds: [] };
  },
};

/** Runs a document through the executor as Apollo Server would (root value aside: the jit executor passes none, so resolvers come from the schema). */
async function both(source: string, variables: Record<string, unknown> = {}) {
  const document: DocumentNode = parse(source);
  const operation = getOperationAST(document)!;
  const run = jitExecutor(schema);
  const viaJit = await run({ document, operation, operationName: operation.name?.value ?? null, context: {}, request: { variables } } as never);
  const viaJs = await execute({ schema, document, variableValues: variables });
  return { viaJit: JSON.parse(JSON.stringify(viaJit)), viaJs: JSON.parse(JSON.stringify(viaJs)) };
}

describe('jitExecutor', () => {
  // Resolvers on the schema itself, so that both executors see the same functions.
  // (Every field of our schemas has a resolver of its own, as Pothos makes them: graphql-jit's
  // default resolver reads a property but, unlike graphql-js's, does not call it.)
  for (const [name, resolve] of Object.entries(rootValue)) {
    const type = name === 'touch' ? schema.getMutationType()! : schema.getQueryType()!;
    type.getFields()[name]!.resolve = (_root, args) => resolve(args as never);
  }
  const facility = schema.getType('Facility') as import('graphql').GraphQLObjectType;
  facility.getFields().broken!.resolve = () => {
    throw new GraphQLError('no count here', { extensions: { code: 'BAD_USER_INPUT' } });
  };
  facility.getFields().later!.resolve = async (f: { id: string }) => `later ${f.id}`;

  it('answers a list query with promised fields and resolver errors exactly as graphql-js does', async () => {
    const { viaJit, viaJs } = await both('query Q($n: Int!) { facilities(first: $n) { id later broken beds { kind total } } }', { n: 3 });
    expect(viaJit.data.facilities).toHaveLength(3);
    expect(viaJit.errors).toHaveLength(3);
    expect(viaJit.errors[0]).toMatchObject({ message: 'no count here', path: ['facilities', 0, 'broken'], extensions: { code: 'BAD_USER_INPUT' } });
    expect(viaJit).toEqual(viaJs);
  });

  it('gives graphql-js’s words for a bad or missing variable', async () => {
    for (const variables of [{ n: 'three' }, {}, { n: 2.5 }]) {
      const { viaJit, viaJs } = await both('query Q($n: Int!) { facilities(first: $n) { id } }', variables);
      expect(viaJit.errors?.length).toBe(1);
      expect(viaJit).toEqual(viaJs);
    }
  });

  it('leaves mutations and introspection to graphql-js, with the same answers', async () => {
    calls.length = 0;
    const mutation = await both('mutation { touch(id: "F-9") { id } }');
    expect(mutation.viaJit).toEqual({ data: { touch: { id: 'F-9' } } });
    expect(calls).toEqual(['F-9', 'F-9']); // once per executor
    const introspection = await both('{ __schema { queryType { name } } __type(name: "Kind") { enumValues { name } } }');
    expect(introspection.viaJit).toEqual(introspection.viaJs);
    expect(introspection.viaJit.data.__type.enumValues).toEqual([{ name: 'GENERAL' }, { name: 'ICU' }]);
  });

  it('compiles an operation once per parsed document and runs it again with new variables', async () => {
    const run = jitExecutor(schema);
    const document = parse('query Q($n: Int!) { facilities(first: $n) { id } }');
    const operation = getOperationAST(document)!;
    const ask = (n: number) => run({ document, operation, operationName: 'Q', context: {}, request: { variables: { n } } } as never);
    expect(((await ask(1)) as { data: { facilities: unknown[] } }).data.facilities).toHaveLength(1);
    expect(((await ask(4)) as { data: { facilities: unknown[] } }).data.facilities).toHaveLength(4);
    expect(run.stats).toEqual({ compiled: 1, interpreted: 0 });
    const again = parse('mutation { touch(id: "F-1") { id } }');
    await run({ document: again, operation: getOperationAST(again)!, operationName: null, context: {}, request: {} } as never);
    expect(run.stats).toEqual({ compiled: 1, interpreted: 1 });
  });
});
