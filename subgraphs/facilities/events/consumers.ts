/** What facilities learns from other subgraphs' events. */
import { TOPICS, type PatientStatePayload, type QuarantineChangedPayload } from '../../common/events/catalog.js';
import { applyQuarantineStay } from '../db/quarantine.repository.js';
import { upsertKnownPatient } from '../db/admission.repository.js';
import type { FacilitiesRuntime } from '../context.js';
import { dischargeClosedCase } from '../commands/case-closed.js';

/**
 * Keeps `known_patient` (id, ward, status, tier) in step with the patients subgraph, frees the
 * bed of a case that closed there, and counts the quarantine orders in force per concentrated
 * quarantine area (its occupancy). One consumer of the patients stream, so its events apply in
 * the order patients committed them.
 */
export const PATIENT_PROJECTION = 'facilities.patient-projection';

export function registerConsumers(runtime: FacilitiesRuntime): void {
  runtime.addConsumer({
    name: PATIENT_PROJECTION,
    source: 'patients',
    topics: [TOPICS.patientRegistered, TOPICS.patientUpdated, TOPICS.quarantineChanged],
    handle: async (trx, event) => {
      if (event.topic === TOPICS.quarantineChanged) {
        const q = event.payload as QuarantineChangedPayload;
        if (q.facilityId) await applyQuarantineStay(trx, q.orderId, q.facilityId, q.active, new Date(q.at));
        return;
      }
      const p = event.payload as PatientStatePayload;
      await upsertKnownPatient(trx, { id: p.patientId, wardCode: p.wardCode, status: p.status, tier: p.tier, at: new Date(p.at) });
      if (p.status !== 'UNDER_TREATMENT') await dischargeClosedCase(trx, p.patientId, p.status);
    },
  });
}
