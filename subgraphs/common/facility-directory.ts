/**
 * Does a facility exist, and in which ward? Facilities own them and publish no event when one is
 * created, so a projection elsewhere would refuse every facility whose beds never changed; and no
 * other subgraph may read the facilities schema. The graph is the one source all can trust: a
 * subgraph asks the gateway, as an internal client with the least role that may read facilities
 * (PARTNER), before it writes something that names a facility (workforce: a facility duty, whose
 * ward decides whose jurisdiction it needs; vaccination: the facility a dose was given at). When
 * the answer cannot be had, the write is refused (SERVICE_UNAVAILABLE) rather than taken on trust.
 */
import type { Config } from './config.js';
import type { Logger } from './log.js';
import { GatewayLookup } from './internal-documents.js';

export const FACILITY_DIRECTORY = 'facility-directory';

/**
 * Sent by id (registered in the trusted-documents manifest): a PARTNER credential may send no text
 * in production. The text, and so its id, is the one workforce sent before vaccination asked too:
 * a gateway and a subgraph of different releases during a rolling deploy still agree on it.
 */
export const FACILITY = `query WorkforceFacilityWard($id: ID!) { facility(id: $id) { id ward { code } } }`;

/** What a write that names a facility needs to know of it. */
export interface FacilityPlace {
  id: string;
  wardCode: string;
}

export class FacilityDirectory extends GatewayLookup {
  /** `subject` names the asking subgraph in the gateway's logs, e.g. "system:workforce-facility-directory". */
  constructor(config: Config, log: Logger, subject: string) {
    super(config, log, subject);
  }

  /** The facility and its ward; null when the facilities subgraph does not know the id. */
  async find(facilityId: string, requestId: string): Promise<FacilityPlace | null> {
    const { facility } = await this.query<{ facility: { id: string; ward: { code: string } } | null }>(FACILITY, { id: facilityId }, requestId, 'facility');
    return facility && { id: facility.id, wardCode: facility.ward.code };
  }
}
