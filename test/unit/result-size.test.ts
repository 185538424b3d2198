/** The estimate of how many objects an operation asks for (gateway/result-size.ts). */
import { describe, expect, it } from '@jest/globals';
import { buildSchema, parse } from 'graphql';
import { MAX_ESTIMATED_OBJECTS, estimateObjects } from '../../gateway/result-size.js';

const schema = buildSchema(`
  type Query { districts(codes: [ID!]): [District!]! facilities(first: Int, after: String): FacilityConnection! }
  type District { code: ID! wards: [Ward!]! history(from: String!, to: String!): [DailyReport!]! }
  type Ward { code: ID! district: District! }
  type DailyReport { newCases: Int! }
  type FacilityConnection { totalCount: Int! edges: [FacilityEdge!]! }
  type FacilityEdge { node: Facility! }
  type Facility { id: ID! beds: [Bed!]! movements(first: Int): [Movement!]! }
  type Bed { kind: String! }
  type Movement { id: ID! }
`);
const estimate = (query: string, variables?: Record<string, unknown>, operationName?: string) => estimateObjects(schema, parse(query), operationName, variables);

describe('estimateObjects', () => {
  it('multiplies nested lists: the 30 districts, their wards, and back', () => {
    // 30 districts, 30 × 30 wards (the default size of an unbounded list), 900 districts back.
    expect(estimate('{ districts { wards { district { code } } } }')).toBe(30 + 900 + 900);
    expect(estimate('{ districts { wards { district { wards { district { wards { district { code } } } } } } } }')).toBeGreaterThan(MAX_ESTIMATED_OBJECTS);
  });

  it("takes a connection's page size, literal or variable, for the list inside it", () => {
    const board = 'query B($n: Int) { facilities(first: $n) { totalCount edges { node { id beds { kind } } } } }';
    // The connection, 50 edges, 50 nodes, 50 × 30 beds.
    expect(estimate(board, { n: 50 })).toBe(1 + 50 + 50 + 1500);
    expect(estimate('{ facilities(first: 10) { totalCount edges { node { id beds { kind } } } } }')).toBe(1 + 10 + 10 + 300);
    expect(estimate('query M($n: Int, $m: Int) { facilities(first: $n) { edges { node { movements(first: $m) { id } } } } }', { n: 100, m: 100 })).toBe(1 + 100 + 100 + 10_000);
    // A variable not sent takes its default.
    expect(estimate('query M($n: Int = 100) { facilities(first: $n) { edges { node { id } } } }', {})).toBe(1 + 100 + 100);
  });

  it('sizes a list by the list it is given, and weighs a day report as a hundred objects', () => {
    expect(estimate('query D($c: [ID!]) { districts(codes: $c) { code } }', { c: ['001', '002'] })).toBe(2);
    // A district's history: the days asked for, at most 92.
    expect(estimate('{ districts(codes: ["001"]) { history(from: "a", to: "b") { newCases } } }')).toBe(1 + 92 * 100);
    expect(estimate('query H($d: String!) { districts { history(from: $d, to: $d) { newCases } } }', { d: '2021-08-01' })).toBe(30 + 30 * 100);
    expect(estimate('{ districts { history(from: "2021-08-01", to: "2021-08-10") { newCases } } }')).toBe(30 + 300 * 100);
  });

  it('follows fragments and the operation named', () => {
    const document = 'query A { districts { ...W } } query B { districts { code } } fragment W on District { wards { code } }';
    expect(estimate(document, {}, 'A')).toBe(30 + 900);
    expect(estimate(document, {}, 'B')).toBe(30);
  });
});
