import { builder } from '../builder.js';
import { CLINICAL_ROLES, coversWard } from '../../common/auth/viewer.js';
import { inGroup } from '../../common/auth/jurisdiction.js';
import { ConflictError, NotFoundError, ValidationError } from '../../common/domain/errors.js';
import type { Admission } from '../db/mappers.js';
import { admitPatient, dischargePatient, transferPatient, type Transfer } from '../commands/admissions.js';
import {
  AdmissionAlreadyEnded,
  BedKindNotOffered,
  FacilityNotAdmitting,
  NoBedAvailable,
  PatientAlreadyAdmitted,
  PatientNotUnderTreatment,
  NotATreatmentFacility,
  TierNotServed,
  BedKindNotForTier,
} from '../domain/errors.js';
import { BedKindEnum, DischargeOutcomeEnum } from './enums.js';
import { FacilityRef } from './facility.js';

/** The patients subgraph's entity; facilities adds where the patient is admitted. */
export const PatientRef = builder.externalRef('Patient', builder.selection<{ id: string }>('id'));

export const AdmissionRef = builder.objectRef<Admission>('Admission');

AdmissionRef.implement({
  description:
    'A patient in a bed of a facility, from admission to discharge or transfer. Visible to dashboards and to health officers whose jurisdiction includes the facility or the patient; never to partners.',
  // Type-level: every field of an admission, however it is reached (query, entity, subscription).
  authScopes: async (admission, ctx) => {
    const { viewer } = ctx;
    if (inGroup(viewer, 'wholeCity')) return true;
    if (!inGroup(viewer, 'clinical')) return false;
    const [facility, patient] = await Promise.all([
      ctx.loaders.facility.load(admission.facilityId),
      ctx.loaders.knownPatient.load(admission.patientId),
    ]);
    return [facility?.wardCode, patient?.ward_code].some((ward) => !!ward && coversWard(viewer, ward));
  },
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Admission id.' }),
    patient: t.field({ type: PatientRef, description: 'The admitted patient.', resolve: (a) => ({ id: a.patientId }) }),
    facility: t.field({
      type: FacilityRef,
      description: 'Where the patient is (or was).',
      resolve: async (a, _args, ctx) => (await ctx.loaders.facility.load(a.facilityId))!,
    }),
    bedKind: t.field({ type: BedKindEnum, description: 'Kind of bed held.', resolve: (a) => a.bedKind }),
    admittedAt: t.field({ type: 'DateTime', description: 'When the patient was admitted.', resolve: (a) => a.admittedAt }),
    dischargedAt: t.field({ type: 'DateTime', nullable: true, description: 'When the admission ended; null while active.', resolve: (a) => a.dischargedAt }),
    outcome: t.field({ type: DischargeOutcomeEnum, nullable: true, description: 'How it ended; null while active.', resolve: (a) => a.outcome }),
    active: t.boolean({ description: 'The patient still holds this bed.', resolve: (a) => a.dischargedAt === null }),
    bedKindOverrideReason: t.string({
      nullable: true,
      description:
        "Why a clinician placed the patient in a bed of another kind than the tier needs; null when the bed kind follows the tier. Clinical free text, so only for clinical roles whose jurisdiction covers the patient's ward (null for anyone else).",
      resolve: async (a, _args, ctx) => {
        if (!a.bedKindOverrideReason || !CLINICAL_ROLES.includes(ctx.viewer.role)) return null;
        const patient = await ctx.loaders.knownPatient.load(a.patientId);
        return patient && coversWard(ctx.viewer, patient.ward_code) ? a.bedKindOverrideReason : null;
      },
    }),
    transferredFrom: t.field({
      type: AdmissionRef,
      nullable: true,
      description: 'The admission this one continues after a transfer.',
      resolve: (a, _args, ctx) => (a.transferredFrom ? ctx.loaders.admission.load(a.transferredFrom) : null),
    }),
    transferredTo: t.field({
      type: AdmissionRef,
      nullable: true,
      description: 'The admission that continued this one after a transfer.',
      resolve: (a, _args, ctx) => (a.transferredTo ? ctx.loaders.admission.load(a.transferredTo) : null),
    }),
  }),
});

PatientRef.implement({
  description: 'A confirmed COVID-19 case (F0), owned by the patients subgraph.',
  externalFields: (t) => ({ id: t.id({ description: 'Patient id.' }) }),
  fields: (t) => ({
    admission: t.field({
      type: AdmissionRef,
      nullable: true,
      description: 'The current admission; null when the patient is not in a facility bed.',
      resolve: (p, _args, ctx) => ctx.loaders.activeAdmissionOfPatient.load(p.id),
    }),
    admissions: t.field({
      type: [AdmissionRef],
      description: 'Every admission of the patient, most recent first.',
      resolve: (p, _args, ctx) => ctx.loaders.admissionsOfPatient.load(p.id),
    }),
  }),
});

builder.queryFields((t) => ({
  admission: t.field({
    type: AdmissionRef,
    nullable: true,
    description: 'One admission by id.',
    args: { id: t.arg.id({ required: true, description: 'Admission id.' }) },
    resolve: async (_root, args, ctx) => {
      const id = String(args.id);
      return /^[0-9a-f-]{36}$/i.test(id) ? ctx.loaders.admission.load(id) : null;
    },
  }),
}));

const AdmitPatientInput = builder.inputType('AdmitPatientInput', {
  description: 'Admit a patient to a bed.',
  fields: (t) => ({
    patientId: t.id({ required: true, description: 'The patient (registered in the patients subgraph).' }),
    facilityId: t.id({ required: true, description: 'The facility.' }),
    bedKind: t.field({ type: BedKindEnum, required: true, description: 'The kind of bed to take.' }),
    idempotencyKey: t.string({
      required: false,
      description: 'Retries with the same key (8 to 128 characters) and the same input return the first result instead of admitting twice; the same key with another input is a ConflictError.',
    }),
    bedKindOverrideReason: t.string({
      required: false,
      description:
        "The bed kind follows the patient's tier (tier 1 GENERAL, tier 2 OXYGEN, tier 3 ICU). A clinician may place the patient in another kind by saying why (10 to 500 characters); recorded on the admission.",
    }),
  }),
});

const DischargePatientInput = builder.inputType('DischargePatientInput', {
  description: 'End an admission and free its bed.',
  fields: (t) => ({
    admissionId: t.id({ required: true, description: 'The active admission.' }),
    outcome: t.field({ type: DischargeOutcomeEnum, required: true, description: 'How it ended (not TRANSFERRED: use transferPatient).' }),
  }),
});

const TransferPatientInput = builder.inputType('TransferPatientInput', {
  description: 'Move an admitted patient to a bed elsewhere: the old bed is freed and the new one taken together, or nothing changes.',
  fields: (t) => ({
    admissionId: t.id({ required: true, description: 'The active admission.' }),
    toFacilityId: t.id({ required: true, description: 'The receiving facility (may be the same facility with another bed kind).' }),
    bedKind: t.field({ type: BedKindEnum, required: true, description: 'The kind of bed to take there.' }),
    bedKindOverrideReason: t.string({
      required: false,
      description: "As for admitPatient: why the patient takes a bed of another kind than the tier needs (10 to 500 characters).",
    }),
  }),
});

const TransferRef = builder.objectRef<Transfer>('Transfer').implement({
  description: 'A completed transfer.',
  fields: (t) => ({
    from: t.field({ type: AdmissionRef, description: 'The admission that ended (outcome TRANSFERRED).', resolve: (x) => x.from }),
    to: t.field({ type: AdmissionRef, description: 'The new admission.', resolve: (x) => x.to }),
  }),
});

const placementErrors = [NotATreatmentFacility, TierNotServed, BedKindNotForTier];
const admissionErrors = [
  ValidationError,
  NotFoundError,
  ConflictError,
  NoBedAvailable,
  BedKindNotOffered,
  FacilityNotAdmitting,
  PatientAlreadyAdmitted,
  PatientNotUnderTreatment,
  ...placementErrors,
];

builder.mutationFields((t) => ({
  admitPatient: t.field({
    type: AdmissionRef,
    description:
      "Admit a patient to a free bed. Needs jurisdiction over the patient's ward and the facility's ward. The facility must treat the patient's tier (never a quarantine area) and the bed kind follow the tier unless overridden with a reason. A full facility answers NoBedAvailable; concurrent admissions never overbook.",
    authScopes: { clinical: true },
    errors: { types: admissionErrors, dataField: { name: 'admission', description: 'The new (or, on retry, the original) admission.' } },
    args: { input: t.arg({ type: AdmitPatientInput, required: true, description: 'What to admit where.' }) },
    resolve: (_root, { input }, ctx) =>
      admitPatient(ctx.runtime, ctx.viewer, {
        patientId: String(input.patientId),
        facilityId: String(input.facilityId),
        bedKind: input.bedKind,
        idempotencyKey: input.idempotencyKey,
        bedKindOverrideReason: input.bedKindOverrideReason,
      }, ctx.loaders),
  }),
  dischargePatient: t.field({
    type: AdmissionRef,
    description: "End an admission and free its bed. Needs jurisdiction over the patient's ward and the facility's ward.",
    authScopes: { clinical: true },
    errors: { types: [ValidationError, NotFoundError, AdmissionAlreadyEnded], dataField: { name: 'admission', description: 'The ended admission.' } },
    args: { input: t.arg({ type: DischargePatientInput, required: true, description: 'Which admission, and how it ended.' }) },
    resolve: (_root, { input }, ctx) => dischargePatient(ctx.runtime, ctx.viewer, { admissionId: String(input.admissionId), outcome: input.outcome }),
  }),
  transferPatient: t.field({
    type: TransferRef,
    description:
      "Move an admitted patient to another bed, atomically: one bed freed and one taken, or nothing. Needs jurisdiction over the patient's ward and both facilities' wards; the receiving facility obeys the same tier and bed-kind rules as admitPatient.",
    authScopes: { clinical: true },
    errors: {
      types: [ValidationError, NotFoundError, AdmissionAlreadyEnded, NoBedAvailable, BedKindNotOffered, FacilityNotAdmitting, PatientNotUnderTreatment, ...placementErrors],
      dataField: { name: 'transfer', description: 'The ended and the new admission.' },
    },
    args: { input: t.arg({ type: TransferPatientInput, required: true, description: 'Which admission, and where to.' }) },
    resolve: (_root, { input }, ctx) =>
      transferPatient(ctx.runtime, ctx.viewer, {
        admissionId: String(input.admissionId),
        toFacilityId: String(input.toFacilityId),
        bedKind: input.bedKind,
        bedKindOverrideReason: input.bedKindOverrideReason,
      }),
  }),
}));
