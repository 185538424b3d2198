/**
 * Patients follows the facilities subgraph's admissions to keep each patient's care setting
 * right: admitted → FACILITY, discharged home → HOME, discharged recovered or dead → case closed.
 * Runs exactly once per event (see DurableConsumer); stale events are ignored by comparing the
 * admission id the patient holds.
 */
import { sql } from 'kysely';
import { TOPICS, type AdmissionPayload } from '../../common/events/catalog.js';
import { publish } from '../../common/events/publish.js';
import { lockPatient, updatePatient } from '../db/patient.repository.js';
import { endOpenIsolationOrders } from '../db/care.repository.js';
import type { PatientsRuntime } from '../context.js';
import { patientStateEvent } from '../commands/events.js';

export const CARE_SETTING = 'patients.care-setting';

export function registerConsumers(runtime: PatientsRuntime): void {
  runtime.addConsumer({
    name: CARE_SETTING,
    source: 'facilities',
    topics: [TOPICS.admissionStarted, TOPICS.admissionEnded],
    handle: async (trx, event) => {
      const a = event.payload as AdmissionPayload;
      const patient = await lockPatient(trx, a.patientId);
      if (!patient) return; // admitted through another system; nothing to keep in step
      let updated = patient;
      if (event.topic === TOPICS.admissionStarted) {
        if (patient.admissionId === a.admissionId) return;
        updated = await updatePatient(trx, patient.id, { care_setting: 'FACILITY', facility_id: a.facilityId, admission_id: a.admissionId });
      } else {
        if (patient.admissionId !== a.admissionId) return;
        const closes = a.outcome === 'RECOVERED' || a.outcome === 'DECEASED';
        updated = await updatePatient(trx, patient.id, {
          care_setting: 'HOME',
          facility_id: null,
          admission_id: null,
          ...(closes && patient.status === 'UNDER_TREATMENT'
            ? { status: a.outcome as 'RECOVERED' | 'DECEASED', ended_at: sql<Date>`${a.dischargedAt}::timestamptz` as never }
            : {}),
        });
        if (closes) await endOpenIsolationOrders(trx, patient.id);
      }
      // Every admission starts a new place of care (a transfer moves between facilities without
      // leaving FACILITY); an ended one records home only when the patient left facility care.
      if (event.topic === TOPICS.admissionStarted || updated.careSetting !== patient.careSetting) {
        const at = event.topic === TOPICS.admissionStarted ? a.admittedAt : (a.dischargedAt ?? event.at.toISOString());
        const place = updated.careSetting === 'HOME' ? 'HOME' : (a.carePlace ?? null);
        await trx.insertInto('care_setting_change').values({ patient_id: patient.id, care_setting: updated.careSetting, care_place: place, at: new Date(at) }).execute();
      }
      await publish(trx, [patientStateEvent(TOPICS.patientUpdated, updated)]);
    },
  });
}
