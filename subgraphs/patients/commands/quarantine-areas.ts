/**
 * Which concentrated quarantine area is this, where is it, and has it a free place? Facilities
 * owns the areas and patients may not read its schema; facilities publishes no event when an
 * area is created, so a projection here would not know areas whose places never changed. As
 * workforce does for duties, patients asks the graph, as an internal client with the least role
 * that may read facilities (PARTNER), before it writes an order into an area. When no answer can
 * be had, the write is refused (SERVICE_UNAVAILABLE) rather than taken on trust.
 */
import type { Config } from '../../common/config.js';
import { registeredRequest } from '../../common/internal-documents.js';
import { issueDevToken } from '../../common/auth/dev-tokens.js';
import { graphQLError } from '../../common/graphql/errors.js';
import type { BackgroundService } from '../../common/runtime.js';
import type { Logger } from '../../common/log.js';

export const QUARANTINE_AREAS = 'quarantine-area-directory';

/** Sent by id (registered in the trusted-documents manifest): a PARTNER credential may send no text in production. */
export const AREA = `query PatientsQuarantineArea($id: ID!) { facility(id: $id) { id kind status ward { code } quarantineCapacity { available } } }`;

export interface QuarantineAreaFacts {
  id: string;
  kind: string;
  status: string;
  wardCode: string;
  /** Free places now, as facilities counts them (null for a facility that is not a quarantine area). */
  available: number | null;
}

export class QuarantineAreaDirectory implements BackgroundService {
  private gatewayUrl: string;
  private token: Promise<string> | undefined;

  constructor(
    private readonly config: Config,
    private readonly log: Logger,
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
    this.token ??= issueDevToken(this.config, { role: 'PARTNER', subject: 'system:patients-quarantine-areas', ttlSeconds: 365 * 86_400 });
    return this.token;
  }

  /** The facility, or null when none has that id. */
  async lookup(facilityId: string, requestId: string): Promise<QuarantineAreaFacts | null> {
    try {
      const res = await fetch(this.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await this.credential()}`, 'x-request-id': requestId },
        body: JSON.stringify(registeredRequest(AREA, { id: facilityId })),
        signal: AbortSignal.timeout(5_000),
      });
      type Answer = { id: string; kind: string; status: string; ward: { code: string }; quarantineCapacity: { available: number } | null } | null;
      const body = (await res.json()) as { data?: { facility: Answer }; errors?: { message: string }[] };
      if (res.ok && !body.errors?.length && body.data) {
        const f = body.data.facility;
        return f && { id: f.id, kind: f.kind, status: f.status, wardCode: f.ward.code, available: f.quarantineCapacity?.available ?? null };
      }
      this.log.warn({ status: res.status, errors: body.errors?.slice(0, 3) }, 'quarantine area lookup through the gateway failed');
    } catch (error) {
      this.log.warn({ err: error }, 'quarantine area lookup through the gateway failed');
    }
    throw graphQLError('SERVICE_UNAVAILABLE', 'The facilities service could not confirm this quarantine area; nothing was written. Try again shortly.');
  }
}
