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

  it('masks a plain-object error without a code we know: its message may come from a database or driver', () => {
    for (const error of [
      { message: 'permission denied for table help_request', path: ['helpRequested', 'message'] },
      { message: 'relation "supply_stock" does not exist', extensions: { code: '42P01' } },
    ]) {
      const masked = mask(error, 'Unexpected error.');
      expect({ message: masked.message, code: (masked as GraphQLError).extensions.code }).toEqual({ message: 'Unexpected error.', code: 'INTERNAL_SERVER_ERROR' });
    }
  });
});
