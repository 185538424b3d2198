import type { NewEvent } from '../../common/events/publish.js';
import { TOPICS, type AdmissionPayload, type BedOccupancyPayload, type CapacityAlertPayload, type OccupancyChangeCause } from '../../common/events/catalog.js';
import { thresholdsCrossed } from '../domain/capacity.js';
import { carePlaceOf } from '../domain/facility.js';
import type { Admission, Beds, Facility } from '../db/mappers.js';

/** The occupancy event for a bed kind after a change, plus an alert per threshold it crossed. */
export function bedChangeEvents(
  facility: Pick<Facility, 'id' | 'wardCode' | 'districtCode'>,
  before: Pick<Beds, 'covidDesignated' | 'occupied'>,
  after: Beds,
  cause: OccupancyChangeCause,
): NewEvent<unknown>[] {
  const at = after.updatedAt.toISOString();
  const occupancy: BedOccupancyPayload = {
    facilityId: facility.id,
    wardCode: facility.wardCode,
    districtCode: facility.districtCode,
    bedKind: after.kind,
    total: after.total,
    covidDesignated: after.covidDesignated,
    occupied: after.occupied,
    cause,
    at,
  };
  const events: NewEvent<unknown>[] = [{ topic: TOPICS.bedOccupancy, key: `${facility.id}:${after.kind}`, payload: occupancy }];
  for (const crossing of thresholdsCrossed(before, after)) {
    const alert: CapacityAlertPayload = {
      facilityId: facility.id,
      wardCode: facility.wardCode,
      districtCode: facility.districtCode,
      bedKind: after.kind,
      threshold: crossing.threshold,
      direction: crossing.direction,
      occupied: after.occupied,
      covidDesignated: after.covidDesignated,
      at,
    };
    events.push({ topic: TOPICS.capacityAlert, key: `${facility.id}:${after.kind}`, payload: alert });
  }
  return events;
}

/** An admission started or ended, as the patients subgraph and dashboards read it. */
export function admissionEvent(topic: string, a: Admission, facility: Pick<Facility, 'kind' | 'level'>): NewEvent<AdmissionPayload> {
  const payload: AdmissionPayload = {
    admissionId: a.id,
    patientId: a.patientId,
    facilityId: a.facilityId,
    bedKind: a.bedKind,
    admittedAt: a.admittedAt.toISOString(),
    dischargedAt: a.dischargedAt?.toISOString() ?? null,
    outcome: a.outcome,
    transferredToAdmissionId: a.transferredTo,
    carePlace: carePlaceOf(facility.kind, facility.level),
  };
  return { topic, key: a.patientId, payload };
}
