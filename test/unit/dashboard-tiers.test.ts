/** The dashboard's tier columns match the schema's treatment tiers (checked without a browser). */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { buildSchema, type GraphQLEnumType } from 'graphql';
import { TIERS } from '../../gateway/dashboard/src/tiers.js';

const root = new URL('../../', import.meta.url);

describe('dashboard tiers', () => {
  it('shows exactly the schema’s treatment tiers, one header per tier column', () => {
    const sdl = readFileSync(new URL('schema/patients.graphql', root), 'utf8');
    const tiers = (buildSchema(sdl, { assumeValidSDL: true }).getType('TreatmentTier') as GraphQLEnumType).getValues().map((v) => v.name);
    expect(tiers).toEqual(['TIER_1', 'TIER_2', 'TIER_3']);
    expect([...TIERS]).toEqual(tiers);
    const html = readFileSync(new URL('gateway/dashboard/index.html', root), 'utf8');
    const head = /<table id="city">\s*<thead>([\s\S]*?)<\/thead>/.exec(html)?.[1];
    expect(head).toBeDefined();
    const tierHeaders = [...head!.matchAll(/<th[^>]*>T(\d)<\/th>/g)].map((m) => `TIER_${m[1]}`);
    expect(tierHeaders).toEqual(tiers);
  });
});
