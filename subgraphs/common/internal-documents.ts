/**
 * Internal clients of the gateway (a subgraph that reads another's data through the graph) send
 * their fixed operations by id, never as text: in production a PARTNER credential may only send
 * registered documents, and an internal client's credential may well be one. Each operation here
 * is registered in the trusted-documents manifest (scripts/trusted-documents.ts) under the id
 * `documentHash` gives it, the same "sha256:" + hex sha256 of the text the gateway uses.
 */
import { createHash } from 'node:crypto';

/** "sha256:" + the hex sha256 of a document's text: the id a registered document is sent by. */
export function documentHash(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** The body of a request that runs a registered document by its id. */
export function registeredRequest(text: string, variables: Record<string, unknown>): { documentId: string; variables: Record<string, unknown> } {
  return { documentId: documentHash(text), variables };
}
