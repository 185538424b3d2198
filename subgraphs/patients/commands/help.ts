/**
 * Help requests from citizens (hotline 1022, Zalo groups, the ward's phone, walk-ins): opened,
 * acknowledged by a health worker (the first response), resolved. "Không để dân gọi mà không
 * thấy bác sĩ": every open request is visible per ward until it is answered.
 */
import { findWard } from '../../common/admin-units.js';
import { CLINICAL_ROLES, coversWard, type Viewer } from '../../common/auth/viewer.js';
import { notFoundFor } from '../../common/auth/jurisdiction.js';
import { ConflictError, Problems } from '../../common/domain/errors.js';
import { isUniqueViolation } from '../../common/db/errors.js';
import { publish } from '../../common/events/publish.js';
import { TOPICS } from '../../common/events/catalog.js';
import { helpRequestByIdempotencyKey, insertHelpRequest, lockHelpRequest, updateHelpRequest } from '../db/care.repository.js';
import { patientsByIds } from '../db/patient.repository.js';
import type { HelpRequest } from '../db/mappers.js';
import type { HelpChannel, PatientsDB } from '../db/tables.js';
import type { Transaction } from '../../common/db/database.js';
import { TEXT_LIMITS, checkIdempotencyKey, checkText, isUuid, normalizeVietnamesePhone } from '../../common/domain/input-rules.js';
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

const caresFor = (viewer: Viewer, wardCode: string) => CLINICAL_ROLES.includes(viewer.role) && coversWard(viewer, wardCode);

/** Everything opening a request writes, as stored: a retry must match all of it. */
const sameRequest = (r: HelpRequest, p: { wardCode: string; channel: HelpChannel; message: string; patientId: string | null; callerPhone: string | null }) =>
  r.wardCode === p.wardCode && r.channel === p.channel && r.message === p.message && r.patientId === p.patientId && r.callerPhone === p.callerPhone;

export async function openHelpRequest(
  runtime: PatientsRuntime,
  viewer: Viewer,
  input: { wardCode: string; channel: HelpChannel; message: string; patientId?: string | null; callerPhone?: string | null; idempotencyKey?: string | null },
): Promise<HelpRequest> {
  const problems = new Problems();
  const ward = findWard(input.wardCode);
  problems.check(!!ward, ['input', 'wardCode'], `No ward has code ${input.wardCode}`);
  const message = checkText(problems, input.message, ['input', 'message'], 'message', { max: TEXT_LIMITS.MESSAGE });
  let callerPhone: string | null = null;
  if (input.callerPhone != null && input.callerPhone.trim() !== '') {
    callerPhone = normalizeVietnamesePhone(input.callerPhone) ?? null;
    problems.check(callerPhone !== null, ['input', 'callerPhone'], 'callerPhone must be a Vietnamese mobile number');
  }
  if (input.patientId != null) problems.check(isUuid(input.patientId), ['input', 'patientId'], 'patientId is not a patient id');
  checkIdempotencyKey(problems, input.idempotencyKey, ['input', 'idempotencyKey']);
  problems.throwIfAny();
  // Jurisdiction first: over the ward, and over the patient named, who is answered like an
  // unknown id when they live outside it.
  assertCaresFor(viewer, ward!.code, 'open a help request in this ward');
  if (input.patientId) {
    const [patient] = await patientsByIds(runtime.db, [input.patientId]);
    if (!patient || !caresFor(viewer, patient.wardCode)) throw notFoundFor(viewer, 'Patient', input.patientId, 'link this patient to a help request');
  }
  const payload = { wardCode: ward!.code, channel: input.channel, message, patientId: input.patientId ?? null, callerPhone };
  const replay = (existing: HelpRequest) => {
    if (!sameRequest(existing, payload)) throw new ConflictError('This idempotencyKey was already used for a different request; use a new key for a new request');
    return existing;
  };
  if (input.idempotencyKey) {
    const existing = await helpRequestByIdempotencyKey(runtime.db, input.idempotencyKey);
    if (existing) return replay(existing);
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
      if (existing) return replay(existing);
    }
    throw error;
  }
}

async function lockFor(
  runtime: PatientsRuntime,
  viewer: Viewer,
  id: string,
  work: (trx: Transaction<PatientsDB>, request: HelpRequest) => Promise<HelpRequest>,
): Promise<HelpRequest> {
  if (!isUuid(id)) throw notFoundFor(viewer, 'HelpRequest', id, 'answer this help request');
  return runtime.db.transaction().execute(async (trx) => {
    const request = await lockHelpRequest(trx, id);
    // A request outside the viewer's jurisdiction is answered like an unknown id.
    if (!request || !caresFor(viewer, request.wardCode)) throw notFoundFor(viewer, 'HelpRequest', id, 'answer this help request');
    return work(trx, request);
  });
}

export function acknowledgeHelpRequest(runtime: PatientsRuntime, viewer: Viewer, id: string): Promise<HelpRequest> {
  return lockFor(runtime, viewer, id, async (trx, request) => {
    if (request.acknowledgedAt) throw new InvalidHelpRequestState('This request was already acknowledged');
    return updateHelpRequest(trx, request.id, { acknowledged_at: new Date(), acknowledged_by: viewer.subject });
  });
}

export function resolveHelpRequest(runtime: PatientsRuntime, viewer: Viewer, input: { id: string; resolution: string }): Promise<HelpRequest> {
  const problems = new Problems();
  const resolution = checkText(problems, input.resolution, ['input', 'resolution'], 'resolution', { max: TEXT_LIMITS.MESSAGE });
  problems.throwIfAny();
  return lockFor(runtime, viewer, input.id, async (trx, request) => {
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
