/** What facilities learns from other subgraphs' events. */
import { TOPICS, type EscalationRaisedPayload, type PatientStatePayload, type QuarantineChangedPayload, type TierChangedPayload } from '../../common/events/catalog.js';
import { applyQuarantineStay, QUARANTINE_PLACE_KIND } from '../db/quarantine.repository.js';
import { lockBeds, upsertKnownPatient } from '../db/admission.repository.js';
import { lockFacility } from '../db/facility.repository.js';
import { bedChangeEvents } from '../commands/bed-events.js';
import type { FacilitiesRuntime } from '../context.js';
import { dischargeClosedCase } from '../commands/case-closed.js';
import { cancelOpenReferral, requestReferral } from '../commands/referral-events.js';
import { publish } from '../../common/events/publish.js';
import { isUpward } from '../domain/referral.js';

/**
 * Keeps `known_patient` (id, ward, status, tier) in step with the patients subgraph, frees the
 * bed of a case that closed there, keeps referrals between tiers in step with the patient (a
 * tier change upward or a daily check whose warning signs suggest a higher tier opens one, a
 * tier change downward or a closed case cancels the open one), and counts the quarantine orders
 * in force per concentrated quarantine area (its occupancy). One consumer of the patients
 * stream, so its events apply in the order the patients subgraph committed them.
 */
export const PATIENT_PROJECTION = 'facilities.patient-projection';

export function registerConsumers(runtime: FacilitiesRuntime): void {
  runtime.addConsumer({
    name: PATIENT_PROJECTION,
    source: 'patients',
    topics: [TOPICS.patientRegistered, TOPICS.patientUpdated, TOPICS.tierChanged, TOPICS.escalationRaised, TOPICS.quarantineChanged],
    handle: async (trx, event) => {
      switch (event.topic) {
        case TOPICS.tierChanged: {
          const t = event.payload as TierChangedPayload;
          const events = isUpward(t.from, t.to)
            ? await requestReferral(trx, {
                patientId: t.patientId,
                wardCode: t.wardCode,
                districtCode: t.districtCode,
                trigger: 'TIER_CHANGE',
                fromTier: t.from,
                toTier: t.to,
                requestedAt: new Date(t.at),
              })
            : await cancelOpenReferral(trx, t.patientId, `Tier lowered from ${t.from} to ${t.to}`);
          await publish(trx, events);
          return;
        }
        case TOPICS.escalationRaised: {
          const e = event.payload as EscalationRaisedPayload;
          if (!isUpward(e.currentTier, e.suggestedTier)) return;
          const events = await requestReferral(trx, {
            patientId: e.patientId,
            wardCode: e.wardCode,
            districtCode: e.districtCode,
            trigger: 'WARNING_SIGN',
            fromTier: e.currentTier,
            toTier: e.suggestedTier,
            requestedAt: new Date(e.at),
          });
          await publish(trx, events);
          return;
        }
        case TOPICS.quarantineChanged: {
          const q = event.payload as QuarantineChangedPayload;
          if (!q.facilityId) return;
          // Under the facility's lock, as capacity changes: a new capacity is checked against these orders.
          const facility = await lockFacility(trx, q.facilityId);
          if (!facility) return;
          const stays = await applyQuarantineStay(trx, q.orderId, q.facilityId, q.active, new Date(q.at));
          const beds = await lockBeds(trx, facility.id, QUARANTINE_PLACE_KIND);
          if (!stays || stays.before === stays.after || !beds) return;
          // Live bed feeds show the area's occupants, orders in force included, as its reads do.
          const cause = stays.after > stays.before ? 'QUARANTINE_START' : 'QUARANTINE_END';
          await publish(
            trx,
            bedChangeEvents(facility, { ...beds, occupied: beds.occupied + stays.before }, { ...beds, occupied: beds.occupied + stays.after, updatedAt: new Date(q.at) }, cause),
          );
          return;
        }
        default: {
          const p = event.payload as PatientStatePayload;
          await upsertKnownPatient(trx, { id: p.patientId, wardCode: p.wardCode, status: p.status, tier: p.tier, at: new Date(p.at) });
          if (p.status !== 'UNDER_TREATMENT') await dischargeClosedCase(trx, p.patientId, p.status);
        }
      }
    },
  });
}
