import type { NewEvent } from '../../common/events/publish.js';
import { TOPICS, type PatientStatePayload } from '../../common/events/catalog.js';
import type { Patient } from '../db/mappers.js';

export function patientStateEvent(topic: typeof TOPICS.patientRegistered | typeof TOPICS.patientUpdated, p: Patient): NewEvent<PatientStatePayload> {
  return {
    topic,
    key: p.id,
    payload: {
      patientId: p.id,
      wardCode: p.wardCode,
      districtCode: p.districtCode,
      tier: p.tier,
      status: p.status,
      careSetting: p.careSetting,
      confirmedAt: p.confirmedAt.toISOString(),
      at: p.updatedAt.toISOString(),
    },
  };
}
