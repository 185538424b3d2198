/**
 * Which concentrated quarantine area is this, where is it, and has it a free place? Facilities
 * owns the areas and patients may not read its schema; facilities publishes no event when an
 * area is created, so a projection here would not know areas whose places never changed. As
 * workforce does for duties, patients asks the graph, as an internal client with the least role
 * that may read facilities (PARTNER), before it writes an order into an area. When no answer can
 * be had, the write is refused (SERVICE_UNAVAILABLE) rather than taken on trust.
 */
import type { Config } from '../../common/config.js';
import type { Logger } from '../../common/log.js';
import { GatewayLookup } from '../../common/internal-documents.js';

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

export class QuarantineAreaDirectory extends GatewayLookup {
  constructor(config: Config, log: Logger) {
    super(config, log, 'system:patients-quarantine-areas');
  }

  /** The facility, or null when none has that id; `what` names it in a refusal (stock writes ask about any place). */
  async lookup(facilityId: string, requestId: string, what = 'quarantine area'): Promise<QuarantineAreaFacts | null> {
    type Answer = { id: string; kind: string; status: string; ward: { code: string }; quarantineCapacity: { available: number } | null } | null;
    const { facility: f } = await this.query<{ facility: Answer }>(AREA, { id: facilityId }, requestId, what);
    return f && { id: f.id, kind: f.kind, status: f.status, wardCode: f.ward.code, available: f.quarantineCapacity?.available ?? null };
  }
}
