/**
 * Help requests from citizens (hotline 1022, Zalo groups, the ward's phone, walk-ins, partner
 * apps): opened, acknowledged by a health worker (the first response), resolved; escalated to the
 * district when nobody answers in time. "Không để dân gọi mà không thấy bác sĩ": every open
 * request is visible per ward until it is answered.
 */
import { findWard } from '../../common/admin-units.js';
import { CLINICAL_ROLES, coversWard, type Viewer } from '../../common/auth/viewer.js';
import { notFoundFor } from '../../common/auth/jurisdiction.js';
import { ConflictError, Problems } from '../../common/domain/errors.js';
import { isUniqueViolation } from '../../common/db/errors.js';
import { publish } from '../../common/events/publish.js';
import { TOPICS, type HelpRequestChangedPayload } from '../../common/events/catalog.js';
import type { NewEvent } from '../../common/events/publish.js';
import type { Kysely } from 'kysely';
import type { Logger } from '../../common/log.js';
import { PeriodicSweep, inBatches } from '../../common/periodic-sweep.js';
import { helpRequestByIdempotencyKey, insertHelpRequest, lockHelpRequest, lockUnansweredHelpRequests, updateHelpRequest } from '../db/care.repository.js';
import { patientsByIds } from '../db/patient.repository.js';
import type { HelpRequest } from '../db/mappers.js';
import type { HelpChannel, HelpNeed, PatientsDB } from '../db/tables.js';
import type { Transaction } from '../../common/db/database.js';
import { TEXT_LIMITS, checkIdempotencyKey, checkOptionalText, checkText, isUuid, normalizeVietnamesePhone } from '../../common/domain/input-rules.js';
import { CONSENT_LIMITS, helpRequestState } from '../domain/help-request.js';
import { InvalidHelpRequestState } from '../domain/errors.js';
import type { PatientsRuntime } from '../context.js';
import { assertCaresFor } from './access.js';

export interface HelpRequestedPayload {
  helpRequestId: string;
  wardCode: string;
  districtCode: string;
  patientId: string | null;
  channel: HelpChannel;
  at: string;
}

const caresFor = (viewer: Viewer, wardCode: string) => CLINICAL_ROLES.includes(viewer.role) && coversWard(viewer, wardCode);

export interface HelpConsent {
  given: boolean;
  text: string;
  version: string;
  at: Date;
}

export interface OpenHelpRequestInput {
  wardCode: string;
  channel: HelpChannel;
  message: string;
  need?: HelpNeed | null;
  patientId?: string | null;
  callerPhone?: string | null;
  citizenName?: string | null;
  consent?: HelpConsent | null;
  idempotencyKey?: string | null;
}

/** Everything opening a request writes, as stored: a retry must match all of it, and come from the same viewer. */
type Stored = Pick<HelpRequest, 'wardCode' | 'channel' | 'message' | 'patientId' | 'callerPhone' | 'citizenName' | 'need' | 'openedBy'> & { consentVersion: string | null; consentText: string | null };
const sameRequest = (r: HelpRequest, p: Stored) =>
  r.wardCode === p.wardCode && r.channel === p.channel && r.message === p.message && r.patientId === p.patientId && r.callerPhone === p.callerPhone &&
  r.citizenName === p.citizenName && r.need === p.need && r.openedBy === p.openedBy && (r.consent?.version ?? null) === p.consentVersion && (r.consent?.text ?? null) === p.consentText;

/** The absolute state of a request as others see it: no name, phone or message. */
export function helpRequestChangedEvent(request: HelpRequest): NewEvent<HelpRequestChangedPayload> {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    topic: TOPICS.helpRequestChanged,
    key: request.id,
    payload: {
      helpRequestId: request.id,
      wardCode: request.wardCode,
      districtCode: request.districtCode,
      state: helpRequestState(request),
      need: request.need,
      channel: request.channel,
      openedAt: request.openedAt.toISOString(),
      acknowledgedAt: iso(request.acknowledgedAt),
      escalatedAt: iso(request.escalatedAt),
      closedAt: iso(request.resolvedAt),
      at: new Date().toISOString(),
    },
  };
}

/**
 * Opens a request. Clinical roles open them in their jurisdiction; a partner (hotline, citizen
 * app) in any ward, on a citizen's behalf, only with the citizen's consent recorded, and without
 * naming a patient (that would tell them who is a case).
 */
export async function openHelpRequest(runtime: PatientsRuntime, viewer: Viewer, input: OpenHelpRequestInput): Promise<HelpRequest> {
  const partner = viewer.role === 'PARTNER';
  const problems = new Problems();
  const ward = findWard(input.wardCode);
  problems.check(!!ward, ['input', 'wardCode'], `No ward has code ${input.wardCode}`);
  const message = checkText(problems, input.message, ['input', 'message'], 'message', { max: TEXT_LIMITS.MESSAGE });
  const citizenName = checkOptionalText(problems, input.citizenName, ['input', 'citizenName'], 'citizenName', { max: TEXT_LIMITS.NAME });
  let callerPhone: string | null = null;
  if (input.callerPhone != null && input.callerPhone.trim() !== '') {
    callerPhone = normalizeVietnamesePhone(input.callerPhone) ?? null;
    problems.check(callerPhone !== null, ['input', 'callerPhone'], 'callerPhone must be a Vietnamese mobile number');
  }
  if (input.patientId != null) {
    problems.check(!partner, ['input', 'patientId'], 'A partner may not name a patient');
    problems.check(isUuid(input.patientId), ['input', 'patientId'], 'patientId is not a patient id');
  }
  let consent: { text: string; version: string; at: Date } | null = null;
  if (input.consent) {
    problems.check(input.consent.given, ['input', 'consent', 'given'], 'The citizen must have given consent');
    const text = checkText(problems, input.consent.text, ['input', 'consent', 'text'], 'consent text', { max: CONSENT_LIMITS.TEXT });
    const version = checkText(problems, input.consent.version, ['input', 'consent', 'version'], 'consent version', { max: CONSENT_LIMITS.VERSION });
    problems.check(input.consent.at.getTime() <= Date.now() + 60_000, ['input', 'consent', 'at'], 'consent cannot be given in the future');
    consent = { text, version, at: input.consent.at };
  } else if (partner) {
    problems.add(['input', 'consent'], "A partner must record the citizen's consent");
  }
  if (partner) {
    // The station must be able to call the citizen back by name.
    problems.check(citizenName !== null, ['input', 'citizenName'], 'citizenName is required');
    problems.check(input.callerPhone != null && input.callerPhone.trim() !== '', ['input', 'phone'], 'phone is required');
  }
  checkIdempotencyKey(problems, input.idempotencyKey, ['input', 'idempotencyKey']);
  problems.throwIfAny();
  // Jurisdiction first: a clinician over the ward, and over the patient named, who is answered
  // like an unknown id when they live outside it. A partner serves the whole city.
  if (!partner) assertCaresFor(viewer, ward!.code, 'open a help request in this ward');
  if (input.patientId) {
    const [patient] = await patientsByIds(runtime.db, [input.patientId]);
    if (!patient || !caresFor(viewer, patient.wardCode)) throw notFoundFor(viewer, 'Patient', input.patientId, 'link this patient to a help request');
  }
  const stored: Stored = {
    wardCode: ward!.code,
    channel: input.channel,
    message,
    patientId: input.patientId ?? null,
    callerPhone,
    citizenName,
    need: input.need ?? 'OTHER',
    openedBy: viewer.subject,
    consentVersion: consent?.version ?? null,
    consentText: consent?.text ?? null,
  };
  const replay = (existing: HelpRequest) => {
    if (!sameRequest(existing, stored)) throw new ConflictError('This idempotencyKey was already used for a different request; use a new key for a new request');
    return existing;
  };
  if (input.idempotencyKey) {
    const existing = await helpRequestByIdempotencyKey(runtime.db, viewer.subject, input.idempotencyKey);
    if (existing) return replay(existing);
  }
  try {
    return await runtime.db.transaction().execute(async (trx) => {
      const request = await insertHelpRequest(trx, {
        patient_id: stored.patientId,
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
        opened_by: viewer.subject,
        opened_by_role: viewer.role,
        citizen_name: citizenName,
        need: stored.need,
        consent_text: consent?.text ?? null,
        consent_version: consent?.version ?? null,
        consent_at: consent?.at ?? null,
        escalated_at: null,
      });
      const payload: HelpRequestedPayload = {
        helpRequestId: request.id,
        wardCode: request.wardCode,
        districtCode: request.districtCode,
        patientId: request.patientId,
        channel: request.channel,
        at: request.openedAt.toISOString(),
      };
      await publish(trx, [{ topic: TOPICS.helpRequested, key: request.id, payload }, helpRequestChangedEvent(request)]);
      return request;
    });
  } catch (error) {
    if (isUniqueViolation(error, 'help_request_opener_key') && input.idempotencyKey) {
      const existing = await helpRequestByIdempotencyKey(runtime.db, viewer.subject, input.idempotencyKey);
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

async function changed(trx: Transaction<PatientsDB>, request: HelpRequest): Promise<HelpRequest> {
  await publish(trx, [helpRequestChangedEvent(request)]);
  return request;
}

export function acknowledgeHelpRequest(runtime: PatientsRuntime, viewer: Viewer, id: string): Promise<HelpRequest> {
  return lockFor(runtime, viewer, id, async (trx, request) => {
    if (request.acknowledgedAt) throw new InvalidHelpRequestState('This request was already acknowledged');
    return changed(trx, await updateHelpRequest(trx, request.id, { acknowledged_at: new Date(), acknowledged_by: viewer.subject }));
  });
}

export function resolveHelpRequest(runtime: PatientsRuntime, viewer: Viewer, input: { id: string; resolution: string }): Promise<HelpRequest> {
  const problems = new Problems();
  const resolution = checkText(problems, input.resolution, ['input', 'resolution'], 'resolution', { max: TEXT_LIMITS.MESSAGE });
  problems.throwIfAny();
  return lockFor(runtime, viewer, input.id, async (trx, request) => {
    if (request.resolvedAt) throw new InvalidHelpRequestState('This request was already resolved');
    const now = new Date();
    return changed(
      trx,
      await updateHelpRequest(trx, request.id, {
        ...(request.acknowledgedAt ? {} : { acknowledged_at: now, acknowledged_by: viewer.subject }),
        resolved_at: now,
        resolved_by: viewer.subject,
        resolution,
      }),
    );
  });
}

const SWEEP_BATCH = 200;

/**
 * Escalates to the district every request nobody acknowledged within `limitMinutes` as of
 * `asOf`, in batches of one transaction each; returns how many. The district hears it through
 * the helpRequestChanged event and finds it in its list as ESCALATED.
 */
export async function escalateHelpRequests(db: Kysely<PatientsDB>, limitMinutes: number, asOf = new Date()): Promise<number> {
  const cutoff = new Date(asOf.getTime() - limitMinutes * 60_000);
  return inBatches(SWEEP_BATCH, (size) =>
    db.transaction().execute(async (trx) => {
      const ids = await lockUnansweredHelpRequests(trx, cutoff, size);
      const escalated: HelpRequest[] = [];
      for (const id of ids) escalated.push(await updateHelpRequest(trx, id, { escalated_at: new Date() }));
      await publish(trx, escalated.map(helpRequestChangedEvent));
      return ids.length;
    }),
  );
}

/** Escalates unanswered help requests every minute; tests call sweep() with the time they need. */
export class HelpEscalationJob extends PeriodicSweep {
  protected readonly activity = 'escalating help requests';

  constructor(
    private readonly db: Kysely<PatientsDB>,
    log: Logger,
    readonly limitMinutes: number,
    intervalMs = 60_000,
  ) {
    super(log, intervalMs);
  }

  protected due(asOf: Date): Promise<number> {
    return escalateHelpRequests(this.db, this.limitMinutes, asOf);
  }
}
