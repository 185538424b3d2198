/**
 * A case closed in the patients subgraph (recovered or died) ends the patient's admission with the
 * same outcome and frees the bed. Runs in the projection's transaction, after the projected
 * status changed: an admission in flight holds the projected patient's row (see
 * lockKnownPatient) and either commits first, and its admission is ended here, or waits and then
 * sees the closed case and refuses. So a closed case never keeps a bed, whatever the interleaving.
 */
import type { Transaction } from '../../common/db/database.js';
import { publish } from '../../common/events/publish.js';
import { TOPICS } from '../../common/events/catalog.js';
import { facilitiesByIds } from '../db/facility.repository.js';
import { endAdmission, lockActiveAdmissionOf, releaseBed } from '../db/admission.repository.js';
import type { FacilitiesDB } from '../db/tables.js';
import { admissionEvent, bedChangeEvents } from './bed-events.js';

const SCHEMA = 'facilities';

export async function dischargeClosedCase(trx: Transaction<FacilitiesDB>, patientId: string, outcome: 'RECOVERED' | 'DECEASED'): Promise<void> {
  const admission = await lockActiveAdmissionOf(trx, patientId);
  if (!admission) return;
  const [facility] = await facilitiesByIds(trx, [admission.facilityId]);
  const ended = await endAdmission(trx, admission.id, outcome);
  const beds = await releaseBed(trx, admission.facilityId, admission.bedKind);
  await publish(trx, SCHEMA, [
    ...bedChangeEvents(facility!, { ...beds, occupied: beds.occupied + 1 }, beds, 'DISCHARGE'),
    admissionEvent(TOPICS.admissionEnded, ended, facility!),
  ]);
}
