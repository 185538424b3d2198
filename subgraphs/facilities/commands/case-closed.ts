/**
 * A case closed in the patients subgraph (recovered or died) ends the patient's admission with the
 * same outcome and frees the bed. Runs in the projection's transaction, after the projected
 * status changed: an admission in flight holds the projected patient's row (see
 * lockKnownPatient) and either commits first, and its admission is ended here, or waits and then
 * sees the closed case and refuses. So a closed case never keeps a bed, whatever the interleaving.
 * The patient's open referral between tiers is cancelled in the same transaction.
 *
 * A discharge as recovered or deceased and closeCase, sent at once, can both succeed: they are in
 * two subgraphs that share no lock, each valid at its own snapshot. They converge on the case's
 * outcome, which the patients subgraph owns: there the case keeps the outcome it was closed with
 * first (the admission-ended event of a closed case changes no status), and here the admission
 * the discharge ended with the other outcome (RECOVERED vs DECEASED) takes the case's outcome, so
 * both subgraphs say the same, as if closeCase had come first. No event: the only consumer of
 * admission-ended events already holds the case's outcome, and the bed was freed once.
 */
import type { Transaction } from '../../common/db/database.js';
import { publish } from '../../common/events/publish.js';
import { TOPICS } from '../../common/events/catalog.js';
import { facilitiesByIds } from '../db/facility.repository.js';
import { alignClosingOutcome, endAdmission, lockActiveAdmissionOf, releaseBed } from '../db/admission.repository.js';
import type { FacilitiesDB } from '../db/tables.js';
import { admissionEvent, bedChangeEvents } from './bed-events.js';
import { cancelOpenReferral } from './referral-events.js';
import type { NewEvent } from '../../common/events/publish.js';

export async function dischargeClosedCase(trx: Transaction<FacilitiesDB>, patientId: string, outcome: 'RECOVERED' | 'DECEASED'): Promise<void> {
  const events: NewEvent<unknown>[] = [];
  const admission = await lockActiveAdmissionOf(trx, patientId);
  if (admission) {
    const [facility] = await facilitiesByIds(trx, [admission.facilityId]);
    const ended = await endAdmission(trx, admission.id, outcome);
    const beds = await releaseBed(trx, admission.facilityId, admission.bedKind);
    events.push(...bedChangeEvents(facility!, { ...beds, occupied: beds.occupied + 1 }, beds, 'DISCHARGE'), admissionEvent(TOPICS.admissionEnded, ended, facility!));
  } else {
    await alignClosingOutcome(trx, patientId, outcome);
  }
  // Its open referral ends too (taken after the admission and beds: the lock order).
  events.push(...(await cancelOpenReferral(trx, patientId, `Case closed: ${outcome}`)));
  await publish(trx, events);
}
