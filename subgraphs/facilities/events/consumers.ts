/** What facilities learns from other subgraphs' events. */
import { TOPICS, type PatientStatePayload } from '../../common/events/catalog.js';
import { upsertKnownPatient } from '../db/admission.repository.js';
import type { FacilitiesRuntime } from '../context.js';
import { dischargeClosedCase } from '../commands/case-closed.js';

/**
 * Keeps `known_patient` (id, ward, status, tier) in step with the patients subgraph, and frees the
 * bed of a case that closed there.
 */
export const PATIENT_PROJECTION = 'facilities.patient-projection';

export function registerConsumers(runtime: FacilitiesRuntime): void {
  runtime.addConsumer({
    name: PATIENT_PROJECTION,
    source: 'patients',
    topics: [TOPICS.patientRegistered, TOPICS.patientUpdated],
    handle: async (trx, event) => {
      const p = event.payload as PatientStatePayload;
      await upsertKnownPatient(trx, { id: p.patientId, wardCode: p.wardCode, status: p.status, tier: p.tier, at: new Date(p.at) });
      if (p.status !== 'UNDER_TREATMENT') await dischargeClosedCase(trx, p.patientId, p.status);
    },
  });
}
