import { builder } from '../builder.js';
import { bedTotalsByArea } from '../db/geography.repository.js';
import { CapacityRef } from './capacity.js';

builder.queryFields((t) => ({
  cityCapacity: t.field({
    type: CapacityRef,
    description: 'Treatment beds of all active facilities of the city (quarantine areas are not treatment capacity).',
    resolve: (_root, _args, ctx) => bedTotalsByArea(ctx.db, 'city'),
  }),
}));
