/**
 * Does a facility exist, and in which ward? Facilities own them and publish no event when one is
 * created, so a projection here would refuse every facility whose beds never changed; and
 * workforce may not read the facilities schema. The graph is the one source both can trust:
 * workforce asks the gateway, as an internal client with the least role that may read facilities
 * (PARTNER), before it writes a duty; the facility's ward decides whose jurisdiction the duty
 * needs. When the answer cannot be had, the write is refused (SERVICE_UNAVAILABLE) rather than
 * taken on trust.
 */
import type { Config } from '../../common/config.js';
import { registeredRequest } from '../../common/internal-documents.js';
import { issueDevToken } from '../../common/auth/dev-tokens.js';
import { graphQLError } from '../../common/graphql/errors.js';
import type { BackgroundService } from '../../common/runtime.js';
import type { Logger } from '../../common/log.js';

export const FACILITY_DIRECTORY = 'facility-directory';

/** Sent by id (registered in the trusted-documents manifest): a PARTNER credential may send no text in production. */
export const FACILITY = `query WorkforceFacilityWard($id: ID!) { facility(id: $id) { id ward { code } } }`;

/** What a duty needs to know of a facility. */
export interface FacilityPlace {
  id: string;
  wardCode: string;
}

export class FacilityDirectory implements BackgroundService {
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
    this.token ??= issueDevToken(this.config, { role: 'PARTNER', subject: 'system:workforce-facility-directory', ttlSeconds: 365 * 86_400 });
    return this.token;
  }

  /** The facility and its ward; null when the facilities subgraph does not know the id. */
  async find(facilityId: string, requestId: string): Promise<FacilityPlace | null> {
    try {
      const res = await fetch(this.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await this.credential()}`, 'x-request-id': requestId },
        body: JSON.stringify(registeredRequest(FACILITY, { id: facilityId })),
        signal: AbortSignal.timeout(5_000),
      });
      const body = (await res.json()) as { data?: { facility: { id: string; ward: { code: string } } | null }; errors?: { message: string }[] };
      if (res.ok && !body.errors?.length && body.data) {
        const facility = body.data.facility;
        return facility && { id: facility.id, wardCode: facility.ward.code };
      }
      this.log.warn({ status: res.status, errors: body.errors?.slice(0, 3) }, 'facility lookup through the gateway failed');
    } catch (error) {
      this.log.warn({ err: error }, 'facility lookup through the gateway failed');
    }
    throw graphQLError('SERVICE_UNAVAILABLE', 'The facilities service could not confirm this facility; nothing was written. Try again shortly.');
  }
}
