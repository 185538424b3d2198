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
import type { Logger } from '../../common/log.js';
import { GatewayLookup } from '../../common/internal-documents.js';

export const FACILITY_DIRECTORY = 'facility-directory';

/** Sent by id (registered in the trusted-documents manifest): a PARTNER credential may send no text in production. */
export const FACILITY = `query WorkforceFacilityWard($id: ID!) { facility(id: $id) { id ward { code } } }`;

/** What a duty needs to know of a facility. */
export interface FacilityPlace {
  id: string;
  wardCode: string;
}

export class FacilityDirectory extends GatewayLookup {
  constructor(config: Config, log: Logger) {
    super(config, log, 'system:workforce-facility-directory');
  }

  /** The facility and its ward; null when the facilities subgraph does not know the id. */
  async find(facilityId: string, requestId: string): Promise<FacilityPlace | null> {
    const { facility } = await this.query<{ facility: { id: string; ward: { code: string } } | null }>(FACILITY, { id: facilityId }, requestId, 'facility');
    return facility && { id: facility.id, wardCode: facility.ward.code };
  }
}
