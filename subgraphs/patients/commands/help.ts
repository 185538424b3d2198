/**
 * Help requests from citizens (hotline 1022, Zalo groups, the ward's phone, walk-ins): opened,
 * acknowledged by a health worker (the first response), resolved. "Không để dân gọi mà không
 * thấy bác sĩ": every open request is visible per ward until it is answered.
 */
import { findWard } from '../../common/admin-units.js';
import type { Viewer } from '../../common/auth/viewer.js';
import { ConflictError, NotFoundError, Problems } from '../../common/graphql/errors.js';
import { isUniqueViolation } from '../../common/db/errors.js';
import { publish } from '../../common/events/publish.js';
import { TOPICS } from '../../common/events/catalog.js';
import { helpRequestByIdempotencyKey, insertHelpRequest, lockHelpRequest, updateHelpRequest } from '../db/care.repository.js';
import { patientsByIds } from '../db/patient.repository.js';
import type { HelpRequest } from '../db/mappers.js';
import type { HelpChannel, PatientsDB } from '../db/tables.js';
import type { Transaction } from '../../common/db/database.js';
import { normalizeVietnamesePhone } from '../domain/validation.js';
import { InvalidHelpRequestState } from '../domain/errors.js';
import type { PatientsRuntime } from '../context.js';
import { assertCaresFor } from './access.js';
import { SCHEMA } from './events.js';

export interface HelpRequestedPayload {
  helpRequestId: string;
  wardCode: string;
  districtCode: string;
  patientId: string | null;
  channel: HelpChannel;
  at: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function openHelpRequest(
  runtime: PatientsRuntime,
  viewer: Viewer,
  input: { wardCode: string; channel: HelpChannel; message: string; patientId?: string | null; callerPhone?: string | null; idempotencyKey?: string | null },
): Promise<HelpRequest> {
  const problems = new Problems();
  const ward = findWard(input.wardCode);
  problems.check(!!ward, ['input', 'wardCode'], `No ward has code ${input.wardCode}`);
  const message = input.message.trim();
  problems.check(message.length >= 1 && message.length <= 2000, ['input', 'message'], 'message must be 1 to 2000 characters');
  let callerPhone: string | null = null;
  if (input.callerPhone != null && input.callerPhone.trim() !== '') {
    callerPhone = normalizeVietnamesePhone(input.callerPhone) ?? null;
    problems.check(callerPhone !== null, ['input', 'callerPhone'], 'callerPhone must be a Vietnamese mobile number');
  }
  if (input.patientId != null) problems.check(UUID.test(input.patientId), ['input', 'patientId'], 'patientId is not a patient id');
  problems.throwIfAny();
  assertCaresFor(viewer, ward!.code, 'open a help request in this ward');
  if (input.patientId) {
    const [patient] = await patientsByIds(runtime.db, [input.patientId]);
    if (!patient) throw new NotFoundError('Patient', input.patientId);
  }
  if (input.idempotencyKey) {
    const existing = await helpRequestByIdempotencyKey(runtime.db, input.idempotencyKey);
    if (existing) {
      if (existing.wardCode !== ward!.code || existing.message !== message) throw new ConflictError('This idempotencyKey was already used for another request');
      return existing;
    }
  }
  try {
    return await runtime.db.transaction().execute(async (trx) => {
      const request = await insertHelpRequest(trx, {
        patient_id: input.patientId ?? null,
        ward_code: ward!.code,
        district_code: ward!.districtCode,
        channel: input.channel,
        caller_phone: callerPhone,
        message,
        acknowledged_at: null,
        acknowledged_by: null,
        resolved_at: null,
        resolved_by: null,
        resolution: null,
        idempotency_key: input.idempotencyKey ?? null,
      });
      const payload: HelpRequestedPayload = {
        helpRequestId: request.id,
        wardCode: request.wardCode,
        districtCode: request.districtCode,
        patientId: request.patientId,
        channel: request.channel,
        at: request.openedAt.toISOString(),
      };
      await publish(trx, SCHEMA, [{ topic: TOPICS.helpRequested, key: request.id, payload }]);
      return request;
    });
  } catch (error) {
    if (isUniqueViolation(error, 'help_request_idempotency_key_key') && input.idempotencyKey) {
      const existing = await helpRequestByIdempotencyKey(runtime.db, input.idempotencyKey);
      if (existing) return existing;
    }
    throw error;
  }
}

async function lockFor(
  runtime: PatientsRuntime,
  viewer: Viewer,
  id: string,
  action: string,
  work: (trx: Transaction<PatientsDB>, request: HelpRequest) => Promise<HelpRequest>,
): Promise<HelpRequest> {
  if (!UUID.test(id)) throw new NotFoundError('HelpRequest', id);
  return runtime.db.transaction().execute(async (trx) => {
    const request = await lockHelpRequest(trx, id);
    if (!request) throw new NotFoundError('HelpRequest', id);
    assertCaresFor(viewer, request.wardCode, action);
    return work(trx, request);
  });
}

export function acknowledgeHelpRequest(runtime: PatientsRuntime, viewer: Viewer, id: string): Promise<HelpRequest> {
  return lockFor(runtime, viewer, id, 'answer this help request', async (trx, request) => {
    if (request.acknowledgedAt) throw new InvalidHelpRequestState('This request was already acknowledged');
    return updateHelpRequest(trx, request.id, { acknowledged_at: new Date(), acknowledged_by: viewer.subject });
  });
}

export function resolveHelpRequest(runtime: PatientsRuntime, viewer: Viewer, input: { id: string; resolution: string }): Promise<HelpRequest> {
  const resolution = input.resolution.trim();
  new Problems().check(resolution.length >= 1 && resolution.length <= 2000, ['input', 'resolution'], 'resolution must be 1 to 2000 characters').throwIfAny();
  return lockFor(runtime, viewer, input.id, 'resolve this help request', async (trx, request) => {
    if (request.resolvedAt) throw new InvalidHelpRequestState('This request was already resolved');
    const now = new Date();
    return updateHelpRequest(trx, request.id, {
      ...(request.acknowledgedAt ? {} : { acknowledged_at: now, acknowledged_by: viewer.subject }),
      resolved_at: now,
      resolved_by: viewer.subject,
      resolution,
    });
  });
}
