/**
 * Workforce follows the patients subgraph: which patients are home patients under treatment in
 * which ward (for unassigned counts and auto-assignment), and care ends by itself when a patient
 * recovers, dies or is admitted to a facility.
 */
import { TOPICS, type PatientStatePayload } from '../../common/events/catalog.js';
import { endAssignment } from '../db/worker.repository.js';
import type { WorkforceRuntime } from '../context.js';

export const PATIENT_PROJECTION = 'workforce.patient-projection';

export function registerConsumers(runtime: WorkforceRuntime): void {
  runtime.addConsumer({
    name: PATIENT_PROJECTION,
    source: 'patients',
    topics: [TOPICS.patientRegistered, TOPICS.patientUpdated],
    handle: async (trx, event) => {
      const p = event.payload as PatientStatePayload;
      const at = new Date(p.at);
      await trx
        .insertInto('known_patient')
        .values({ id: p.patientId, ward_code: p.wardCode, district_code: p.districtCode, status: p.status, care_setting: p.careSetting, updated_at: at })
        .onConflict((oc) =>
          oc
            .column('id')
            .doUpdateSet({ ward_code: p.wardCode, district_code: p.districtCode, status: p.status, care_setting: p.careSetting, updated_at: at })
            .where('known_patient.updated_at', '<=', at),
        )
        .execute();
      if (p.status !== 'UNDER_TREATMENT') await endAssignment(trx, p.patientId, p.status);
      else if (p.careSetting === 'FACILITY') await endAssignment(trx, p.patientId, 'ADMITTED');
    },
  });
}
