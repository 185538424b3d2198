/**
 * Internal clients of the gateway (a subgraph that reads another's data through the graph) send
 * their fixed operations by id, never as text: in production a PARTNER credential may only send
 * registered documents, and an internal client's credential may well be one. Each operation here
 * is registered in the trusted-documents manifest (scripts/trusted-documents.ts) under the id
 * `documentHash` gives it, the same "sha256:" + hex sha256 of the text the gateway uses.
 */
import { createHash } from 'node:crypto';
import type { Config } from './config.js';
import type { Logger } from './log.js';
import type { BackgroundService } from './runtime.js';
import type { Role } from './auth/viewer.js';
import { issueDevToken } from './auth/dev-tokens.js';
import { graphQLError } from './graphql/errors.js';

/** "sha256:" + the hex sha256 of a document's text: the id a registered document is sent by. */
export function documentHash(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** The body of a request that runs a registered document by its id. */
export function registeredRequest(text: string, variables: Record<string, unknown>): { documentId: string; variables: Record<string, unknown> } {
  return { documentId: documentHash(text), variables };
}

/**
 * A subgraph's read through the gateway (for data another subgraph owns and publishes no event
 * about), as a background service whose gateway URL tests can point elsewhere. It authenticates as
 * the configured service token or, without one, a long-lived token of the least role that may
 * read what it asks (`role`). When no answer can be had it refuses the write that asked
 * (SERVICE_UNAVAILABLE) rather than take anything on trust.
 */
export abstract class GatewayLookup implements BackgroundService {
  private gatewayUrl: string;
  private token: Promise<string> | undefined;

  constructor(
    private readonly config: Config,
    private readonly log: Logger,
    private readonly subject: string,
    private readonly role: Role = 'PARTNER',
  ) {
    this.gatewayUrl = config.gatewayUrl;
  }

  start(): void {}
  stop(): void {}

  useGateway(url: string): void {
    this.gatewayUrl = url;
  }

  private credential(): Promise<string> {
    if (this.config.serviceToken) return Promise.resolve(this.config.serviceToken);
    this.token ??= issueDevToken(this.config, { role: this.role, subject: this.subject, ttlSeconds: 365 * 86_400 });
    return this.token;
  }

  /** Runs a registered document; `what` names the thing looked up in the log and the refusal. */
  protected async query<T>(document: string, variables: Record<string, unknown>, requestId: string, what: string): Promise<T> {
    try {
      const res = await fetch(this.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await this.credential()}`, 'x-request-id': requestId },
        body: JSON.stringify(registeredRequest(document, variables)),
        signal: AbortSignal.timeout(5_000),
      });
      const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
      if (res.ok && !body.errors?.length && body.data) return body.data;
      this.log.warn({ status: res.status, errors: body.errors?.slice(0, 3) }, `${what} lookup through the gateway failed`);
    } catch (error) {
      this.log.warn({ err: error }, `${what} lookup through the gateway failed`);
    }
    throw graphQLError('SERVICE_UNAVAILABLE', `The ${what} could not be confirmed through the graph; nothing was written. Try again shortly.`);
  }
}
