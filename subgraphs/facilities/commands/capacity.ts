/** Bed capacity and facility status changes, checked against current occupancy under lock. */
import type { BedKind } from '../../common/domain/enums.js';
import { coversWard, type Viewer } from '../../common/auth/viewer.js';
import { publish } from '../../common/events/publish.js';
import { graphQLError } from '../../common/graphql/errors.js';
import { NotFoundError, Problems } from '../../common/domain/errors.js';
import { bedsByFacilityIds, lockFacility, updateFacilityStatus } from '../db/facility.repository.js';
import { lockBeds, upsertBedCapacity } from '../db/admission.repository.js';
import type { Beds, Facility } from '../db/mappers.js';
import { FacilityHasPatients, InvalidStatusTransition } from '../domain/errors.js';
import { canChangeStatus, type FacilityStatus } from '../domain/facility.js';
import type { FacilitiesRuntime } from '../context.js';
import { bedChangeEvents } from './bed-events.js';
import { countActiveStays, QUARANTINE_PLACE_KIND } from '../db/quarantine.repository.js';

const MAX_BEDS = 100_000;

function assertManages(viewer: Viewer, facility: Facility): void {
  const allowed = viewer.role === 'CITY_OFFICER' || (viewer.role === 'DISTRICT_OFFICER' && coversWard(viewer, facility.wardCode));
  if (!allowed) throw graphQLError('FORBIDDEN', `Not authorized to manage facility ${facility.id}: district or city health officers only, inside their jurisdiction`);
}

export interface CapacityInput {
  facilityId: string;
  bedKind: BedKind;
  total: number;
  covidDesignated: number;
}

export async function updateBedCapacity(runtime: FacilitiesRuntime, viewer: Viewer, input: CapacityInput): Promise<Beds> {
  const problems = new Problems()
    .check(Number.isInteger(input.total) && input.total >= 0 && input.total <= MAX_BEDS, ['input', 'total'], `total must be a whole number from 0 to ${MAX_BEDS}`)
    .check(
      Number.isInteger(input.covidDesignated) && input.covidDesignated >= 0,
      ['input', 'covidDesignated'],
      'covidDesignated must be a whole number, 0 or more',
    );
  if (problems.empty && input.covidDesignated > input.total) {
    problems.add(['input', 'covidDesignated'], `covidDesignated (${input.covidDesignated}) cannot exceed total (${input.total})`);
  }
  problems.throwIfAny();

  return runtime.db.transaction().execute(async (trx) => {
    const facility = await lockFacility(trx, input.facilityId);
    if (!facility) throw new NotFoundError('Facility', input.facilityId);
    assertManages(viewer, facility);
    const row = (await lockBeds(trx, facility.id, input.bedKind)) ?? { covidDesignated: 0, occupied: 0 };
    // A quarantine area's places hold the quarantine orders in force there too (under the same
    // facility lock the projection of orders takes).
    const stays = input.bedKind === QUARANTINE_PLACE_KIND ? await countActiveStays(trx, facility.id) : 0;
    const before = { ...row, occupied: row.occupied + stays };
    if (input.covidDesignated < before.occupied) {
      const what = stays > 0 ? `the ${before.occupied} places occupied now (${stays} by quarantine orders in force)` : `the ${before.occupied} beds occupied now`;
      new Problems().add(['input', 'covidDesignated'], `covidDesignated (${input.covidDesignated}) cannot be below ${what}`).throwIfAny();
    }
    const after = await upsertBedCapacity(trx, facility.id, input.bedKind, input.total, input.covidDesignated);
    const shown = { ...after, occupied: after.occupied + stays };
    await publish(trx, bedChangeEvents(facility, before, shown, 'CAPACITY_CHANGE'));
    return shown;
  });
}

export async function setFacilityStatus(
  runtime: FacilitiesRuntime,
  viewer: Viewer,
  input: { facilityId: string; status: FacilityStatus },
): Promise<Facility> {
  return runtime.db.transaction().execute(async (trx) => {
    const facility = await lockFacility(trx, input.facilityId);
    if (!facility) throw new NotFoundError('Facility', input.facilityId);
    assertManages(viewer, facility);
    if (facility.status === input.status) return facility;
    if (!canChangeStatus(facility.status, input.status)) throw new InvalidStatusTransition(facility.id, facility.status, input.status);
    const beds = await bedsByFacilityIds(trx, [facility.id]);
    const occupied = beds.reduce((sum, b) => sum + b.occupied, 0);
    if (input.status !== 'ACTIVE' && occupied > 0) throw new FacilityHasPatients(facility.id, occupied);
    const updated = await updateFacilityStatus(trx, facility.id, input.status);
    // Roll-ups count active facilities only: tell dashboards the beds appeared or went away.
    await publish(
      trx,
      beds.flatMap((b) => bedChangeEvents(updated, b, { ...b, updatedAt: updated.updatedAt }, 'CAPACITY_CHANGE')),
    );
    return updated;
  });
}
