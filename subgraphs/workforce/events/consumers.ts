/**
 * Workforce follows the patients subgraph: which patients are home patients under treatment in
 * which ward (for unassigned counts and auto-assignment), and care ends by itself when a patient
 * recovers, dies or is admitted to a facility. The projected row is updated before the care
 * ends, in the same lock order as the care writes (see commands/care.ts).
 */
import { TOPICS, type PatientStatePayload } from '../../common/events/catalog.js';
import { endAssignment, upsertKnownPatient } from '../db/care.repository.js';
import { careEndFor } from '../domain/workforce.js';
import type { WorkforceRuntime } from '../context.js';

export const PATIENT_PROJECTION = 'workforce.patient-projection';

export function registerConsumers(runtime: WorkforceRuntime): void {
  runtime.addConsumer({
    name: PATIENT_PROJECTION,
    source: 'patients',
    topics: [TOPICS.patientRegistered, TOPICS.patientUpdated],
    handle: async (trx, event) => {
      const p = event.payload as PatientStatePayload;
      await upsertKnownPatient(trx, { id: p.patientId, wardCode: p.wardCode, districtCode: p.districtCode, status: p.status, careSetting: p.careSetting, at: new Date(p.at) });
      const ends = careEndFor(p);
      if (ends) await endAssignment(trx, p.patientId, ends);
    },
  });
}
