/**
 * Patients follows the facilities subgraph's admissions to keep each patient's care setting
 * right: admitted → FACILITY, discharged home → HOME, discharged recovered or dead → case closed.
 * Runs exactly once per event (see DurableConsumer); stale events are ignored by comparing the
 * admission id the patient holds.
 */
import { sql } from 'kysely';
import { TOPICS, type AdmissionPayload } from '../../common/events/catalog.js';
import { publish } from '../../common/events/publish.js';
import { lockPatient, moveIntoFacility, updatePatient } from '../db/patient.repository.js';
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
      if (event.topic === TOPICS.admissionStarted) {
        // Every admission starts a new place of care (a transfer moves between facilities
        // without leaving FACILITY): the update and its record in one statement.
        const moved = await moveIntoFacility(trx, { patientId: a.patientId, admissionId: a.admissionId, facilityId: a.facilityId, carePlace: a.carePlace ?? null, at: new Date(a.admittedAt) });
        if (moved) await publish(trx, [patientStateEvent(TOPICS.patientUpdated, moved)]);
        return;
      }
      const patient = await lockPatient(trx, a.patientId);
      // Admitted through another system (nothing to keep in step), or an admission the patient no longer holds.
      if (!patient || patient.admissionId !== a.admissionId) return;
      const closes = a.outcome === 'RECOVERED' || a.outcome === 'DECEASED';
      const updated = await updatePatient(trx, patient.id, {
        care_setting: 'HOME',
        facility_id: null,
        admission_id: null,
        ...(closes && patient.status === 'UNDER_TREATMENT'
          ? { status: a.outcome as 'RECOVERED' | 'DECEASED', ended_at: sql<Date>`${a.dischargedAt}::timestamptz` as never }
          : {}),
      });
      if (closes) await endOpenIsolationOrders(trx, patient.id);
      // Home again: recorded only when the patient left facility care.
      if (patient.careSetting !== 'HOME') {
        await trx
          .insertInto('care_setting_change')
          .values({ patient_id: patient.id, care_setting: 'HOME', care_place: 'HOME', at: new Date(a.dischargedAt ?? event.at.toISOString()) })
          .execute();
      }
      await publish(trx, [patientStateEvent(TOPICS.patientUpdated, updated)]);
    },
  });
}
