/** The selection look-ahead that lets a page fetch its items' beds in its own statement. */
import { describe, expect, it } from '@jest/globals';
import { Kind, parse, type FieldNode, type FragmentDefinitionNode, type GraphQLResolveInfo, type OperationDefinitionNode } from 'graphql';
import { selects } from '../../subgraphs/common/graphql/lookahead.js';

/** The resolve info of the operation's first root field, as far as `selects` reads it. */
function infoOf(source: string): GraphQLResolveInfo {
  const document = parse(source);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
  );
  return { fieldNodes: [operation.selectionSet.selections[0] as FieldNode], fragments } as unknown as GraphQLResolveInfo;
}

describe('selects', () => {
  it('finds a path of field names, not aliases', () => {
    const info = infoOf('{ facilities { edges { node { id places: beds { kind } } } } }');
    expect(selects(info, ['edges', 'node', 'beds'])).toBe(true);
    expect(selects(info, ['edges', 'node', 'places'])).toBe(false);
    expect(selects(info, ['totalCount'])).toBe(false);
    expect(selects(info, [])).toBe(false);
  });

  it('looks through inline fragments and fragment spreads, nested', () => {
    const info = infoOf(`
      { facilities { ... on FacilityConnection { totalCount } edges { ...E } } }
      fragment E on FacilityEdge { node { ... { ...Beds } } }
      fragment Beds on Facility { beds { kind } }`);
    expect(selects(info, ['totalCount'])).toBe(true);
    expect(selects(info, ['edges', 'node', 'beds'])).toBe(true);
    expect(selects(info, ['edges', 'node', 'ward'])).toBe(false);
  });

  it('counts a field under @skip or @include as selected (it may fetch too much, never too little)', () => {
    expect(selects(infoOf('query ($no: Boolean!) { facilities { totalCount @include(if: $no) } }'), ['totalCount'])).toBe(true);
  });

  it('answers false for a leaf field or a missing fragment', () => {
    expect(selects(infoOf('{ facility }'), ['id'])).toBe(false);
    expect(selects(infoOf('{ facilities { ...Missing } }'), ['totalCount'])).toBe(false);
  });
});
