/** Where a failed subgraph request's error goes under the Rust planner: on every field the request asked for. */
import { describe, expect, it } from '@jest/globals';
import { parse } from 'graphql';
import { fieldPaths, onFields } from '../../gateway/subgraph-failures.js';
import { createErrorMasker } from '../../gateway/errors.js';

describe('fieldPaths', () => {
  it('names each root field by its response key', () => {
    expect(fieldPaths(parse('{ __typename d: district(code: "008") { name } wards { code } }'), {})).toEqual([['d'], ['wards']]);
  });

  it('names each field of each representation, by the representation type', () => {
    const document = parse(`query($representations: [_Any!]!) {
      _entities(representations: $representations) { __typename ... on District { vaccination { population } c: cases { active } } ... on Ward { cases { active } } }
    }`);
    const representations = [{ __typename: 'District', code: '008' }, { __typename: 'Ward', code: '00337' }];
    expect(fieldPaths(document, { representations })).toEqual([
      ['_entities', 0, 'vaccination'],
      ['_entities', 0, 'c'],
      ['_entities', 1, 'cases'],
    ]);
  });

  it('follows batched aliases and named fragments', () => {
    const document = parse(`query($r0: [_Any!]!, $r1: [_Any!]!) {
      _e0: _entities(representations: $r0) { ...F }
      _e1: _entities(representations: $r1) { ... on Facility { staffOnDuty { count } } }
    }
    fragment F on District { population }`);
    expect(fieldPaths(document, { r0: [{ __typename: 'District' }, { __typename: 'District' }], r1: [{ __typename: 'Facility' }] })).toEqual([
      ['_e0', 0, 'population'],
      ['_e0', 1, 'population'],
      ['_e1', 0, 'staffOnDuty'],
    ]);
  });
});

describe('onFields', () => {
  const mask = createErrorMasker({ upstreamTimeoutMs: 5_000 });
  const paths = [['d', 'vaccination'], ['d', 'cases']];

  it('keeps a deliberate error (a code we know) as it is, on every field', () => {
    const placed = onFields({ message: 'Sign in first', extensions: { code: 'UNAUTHENTICATED' } }, 'vaccination', paths).map((e) => mask(e, 'Unexpected error.'));
    expect(placed.map((e) => [e.message, (e as any).path, (e as any).extensions])).toEqual(
      paths.map((path) => ['Sign in first', path, { code: 'UNAUTHENTICATED', serviceName: 'vaccination' }]),
    );
  });

  it('masks anything else, and keeps no extension but the code and the service', () => {
    const raw = { message: 'Unexpected response from 10.0.0.7:4103: <html>', extensions: { code: 'RESPONSE_VALIDATION_FAILED', response: { body: '<html>secret</html>' } } };
    const placed = onFields(raw, 'vaccination', paths);
    expect(placed.map((e) => Object.keys(e.extensions).sort())).toEqual([['code', 'serviceName'], ['code', 'serviceName']]);
    const masked = placed.map((e) => mask(e, 'Unexpected error.'));
    expect(masked.map((e) => [e.message, (e as any).extensions.code])).toEqual([['Unexpected error.', 'INTERNAL_SERVER_ERROR'], ['Unexpected error.', 'INTERNAL_SERVER_ERROR']]);
  });
});
