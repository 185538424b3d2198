/** The gateway's error mask treats a subgraph error the same whether it arrives as a GraphQLError or as a plain object (the Rust planner's subscription events). */
import { describe, expect, it } from '@jest/globals';
import { GraphQLError } from 'graphql';
import { createErrorMasker } from '../../gateway/errors.js';

const mask = createErrorMasker({ upstreamTimeoutMs: 15_000 });

describe('gateway error mask', () => {
  it('keeps a subgraph refusal given as a plain object, path and code included', () => {
    const masked = mask({ message: 'Not authorized', path: ['bedOccupancyChanged', 'facility'], extensions: { code: 'FORBIDDEN' } }, 'Unexpected error.');
    expect(masked).toBeInstanceOf(GraphQLError);
    expect((masked as GraphQLError).extensions.code).toBe('FORBIDDEN');
    expect((masked as GraphQLError).path).toEqual(['bedOccupancyChanged', 'facility']);
    expect(masked.message).toBe('Not authorized');
  });

  it('still masks a crash', () => {
    const masked = mask(new Error('connect ECONNREFUSED 10.0.0.3:5432'), 'Unexpected error.');
    expect(masked.message).toBe('Unexpected error.');
    expect((masked as GraphQLError).extensions.code).toBe('INTERNAL_SERVER_ERROR');
  });
});
