/** Which operations over the gateway's WebSocket may share an execution: only subscriptions (websocket.ts). */
import { describe, expect, it } from '@jest/globals';
import { operationType } from '../../gateway/websocket.js';
import { TrustedDocuments } from '../../gateway/trusted-documents.js';

describe('operationType', () => {
  it('tells a subscription from a query and a mutation, by operation name in a document of several', () => {
    expect(operationType('subscription { bedOccupancyChanged { occupied } }', undefined)).toBe('subscription');
    expect(operationType('{ districts { code } }', undefined)).toBe('query');
    expect(operationType('mutation M { requestHelp { __typename } }', 'M')).toBe('mutation');
    const several = 'query Q { districts { code } } subscription S { tierChanged { tier } }';
    expect(operationType(several, 'S')).toBe('subscription');
    expect(operationType(several, 'Q')).toBe('query');
    // Which one is meant is unknown: nothing to share.
    expect(operationType(several, undefined)).toBeUndefined();
  });

  it('gives nothing for a document that does not parse or sends no text', () => {
    expect(operationType('subscription {', undefined)).toBeUndefined();
    expect(operationType(undefined, undefined)).toBeUndefined();
  });

  it('stops parsing at the token limit, which runs after it (a long document costs no more than a short one)', () => {
    const fields = (n: number) => Array.from({ length: n }, (_, i) => `f${i}`).join(' ');
    // Within the limit (2,000 tokens): parsed.
    expect(operationType(`subscription { tierChanged { ${fields(600)} } }`, undefined)).toBe('subscription');
    // Beyond it: not parsed to the end, nothing to share; graphql-armor then refuses it.
    expect(operationType(`subscription { tierChanged { ${fields(2_100)} } }`, undefined)).toBeUndefined();
    expect(operationType(`subscription { tierChanged { ${' '.repeat(50_000)}id } }`, undefined)).toBeUndefined();
  });

  it('reads a trusted document by its id, as a partner sends it', () => {
    const hash = 'ab'.repeat(32);
    const documents = new TrustedDocuments({ partnerTrustedDocumentsOnly: true }, new Map([[`sha256:${hash}`, 'query Status($id: ID!) { helpRequestStatus(id: $id) { id } }']]));
    expect(operationType(documents.documentText({ documentId: `sha256:${hash}` }), 'Status')).toBe('query');
    expect(documents.documentText({ extensions: { persistedQuery: { version: 1, sha256Hash: hash.toUpperCase() } } })).toContain('helpRequestStatus');
    expect(documents.documentText({ documentId: `sha256:${'cd'.repeat(32)}` })).toBeUndefined();
    expect(documents.documentText({ documentId: 'not-a-hash' })).toBeUndefined();
    expect(documents.documentText({ query: '{ districts { code } }', documentId: `sha256:${hash}` })).toBe('{ districts { code } }');
  });
});
