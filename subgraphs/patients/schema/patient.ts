import { builder } from '../builder.js';
import { clinicalText, personalField } from './personal-field.js';
import { type Viewer } from '../../common/auth/viewer.js';
import { listArea, mayReadCase } from '../../common/auth/jurisdiction.js';
import { decodeCursor, pageSize, toPage, type CountedPage } from '../../common/graphql/pagination.js';
import { graphQLError } from '../../common/graphql/errors.js';
import { ConflictError, NotFoundError, ValidationError } from '../../common/domain/errors.js';
import { cityDate } from '../../common/graphql/scalars.js';
import { findDistrict, findWard } from '../../common/admin-units.js';
import type { Patient } from '../db/mappers.js';
import { countPatients, searchPatients, type PatientFilter } from '../db/patient.repository.js';
import { ageInMonths } from '../domain/warning-signs.js';
import { registerPatient } from '../commands/registration.js';
import { changeTier, closeCase } from '../commands/treatment.js';
import { DuplicateActiveCase, InvalidTierTransition, PatientNotUnderTreatment } from '../domain/errors.js';
import {
  CareSettingEnum,
  ConfirmationMethodEnum,
  PatientStatusEnum,
  RiskFactorEnum,
  SexEnum,
  TreatmentTierEnum,
} from './enums.js';
import { DistrictRef, WardRef } from './area-refs.js';

export const PatientRef = builder.objectRef<Patient>('Patient');


type TierChange = { from: Patient['tier']; to: Patient['tier']; reason: string; at: Date; patient: { id: string; wardCode: string } };

const TierChangeRef = builder.objectRef<TierChange>('TierChange').implement({
  description: 'One change of treatment tier.',
  fields: (t) => ({
    from: t.field({ type: TreatmentTierEnum, description: 'Tier before.', resolve: (c) => c.from }),
    to: t.field({ type: TreatmentTierEnum, description: 'Tier after.', resolve: (c) => c.to }),
    reason: t.string({
      nullable: true,
      description:
        "Why, as recorded by the clinician. Clinical free text, so only for clinical roles whose jurisdiction covers the patient's ward (null for anyone else); reads are audited.",
      resolve: (c, _args, ctx) => clinicalText(ctx, c.patient, 'tierChangeReason', c.reason),
    }),
    at: t.field({ type: 'DateTime', description: 'When.', resolve: (c) => c.at }),
  }),
});

PatientRef.implement({
  description: 'A confirmed COVID-19 case (F0), from registration to recovery or death.',
  authScopes: (p, ctx) => mayReadCase(ctx.viewer, p.wardCode),
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable patient id.' }),
    caseCode: t.exposeString('caseCode', { description: 'Case code, e.g. "F0-008-000123" (district of registration, sequence).' }),
    fullName: personalField('Patient', t, 'fullName', 'String', 'Full name.'),
    dateOfBirth: personalField('Patient', t, 'dateOfBirth', 'Date', 'Date of birth.'),
    nationalId: personalField('Patient', t, 'nationalId', 'String', '12-digit citizen ID (CCCD); null for children without one.'),
    phone: personalField('Patient', t, 'phone', 'String', 'Mobile number in +84 form.'),
    address: personalField('Patient', t, 'address', 'String', 'Home address.'),
    ageYears: t.int({ description: 'Age in whole years today (not personal data on its own).', resolve: (p) => Math.floor(ageInMonths(p.dateOfBirth, cityDate(new Date())) / 12) }),
    sex: t.field({ type: SexEnum, description: 'Sex.', resolve: (p) => p.sex }),
    ward: t.field({ type: WardRef, description: 'Ward of residence.', resolve: (p) => ({ code: p.wardCode }) }),
    district: t.field({ type: DistrictRef, description: 'District of residence.', resolve: (p) => ({ code: p.districtCode }) }),
    confirmedAt: t.field({ type: 'DateTime', description: 'When the infection was confirmed.', resolve: (p) => p.confirmedAt }),
    confirmation: t.field({ type: ConfirmationMethodEnum, description: 'How it was confirmed.', resolve: (p) => p.confirmation }),
    riskFactors: t.field({ type: [RiskFactorEnum], description: 'Risk factors (age factors derived).', resolve: (p) => p.riskFactors }),
    tier: t.field({ type: TreatmentTierEnum, description: 'Current treatment tier.', resolve: (p) => p.tier }),
    status: t.field({ type: PatientStatusEnum, description: 'Under treatment, recovered or deceased.', resolve: (p) => p.status }),
    careSetting: t.field({
      type: CareSettingEnum,
      description: "Home or facility; follows the facilities subgraph's admissions.",
      resolve: (p) => p.careSetting,
    }),
    tierHistory: t.field({
      type: [TierChangeRef],
      description: 'Every tier change, oldest first.',
      resolve: async (p, _args, ctx) => (await ctx.loaders.tierHistory.load(p.id)).map((c) => ({ ...c, patient: p })),
    }),
    lastCheckAt: t.field({ type: 'DateTime', nullable: true, description: 'Time of the latest daily check.', resolve: (p) => p.lastCheckAt }),
    endedAt: t.field({ type: 'DateTime', nullable: true, description: 'When the case closed (recovery or death).', resolve: (p) => p.endedAt }),
    registeredAt: t.field({ type: 'DateTime', description: 'When the case was registered here.', resolve: (p) => p.registeredAt }),
  }),
});

builder.asEntity(PatientRef, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: (ref, ctx) => (UUID.test(ref.id) ? ctx.loaders.patient.load(ref.id) : null),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Narrows a list filter to the viewer's jurisdiction (see `listArea`), with the codes checked. */
export function jurisdictionFilter(viewer: Viewer, wardCode?: string | null, districtCode?: string | null): Pick<PatientFilter, 'wardCodes' | 'districtCodes'> {
  if (wardCode && !findWard(wardCode)) throw graphQLError('BAD_USER_INPUT', `No ward has code ${wardCode}`);
  if (districtCode && !findDistrict(districtCode)) throw graphQLError('BAD_USER_INPUT', `No district has code ${districtCode}`);
  const area = listArea(viewer, { wardCode, districtCode });
  return { ...(area.wardCode ? { wardCodes: [area.wardCode] } : {}), ...(area.districtCode ? { districtCodes: [area.districtCode] } : {}) };
}

const PatientFilterInput = builder.inputType('PatientFilter', {
  description: 'Narrows a patient list; always limited to your jurisdiction.',
  fields: (t) => ({
    wardCode: t.id({ required: false, description: 'Only this ward.' }),
    districtCode: t.id({ required: false, description: 'Only this district.' }),
    status: t.field({ type: PatientStatusEnum, required: false, description: 'Only this status.' }),
    tier: t.field({ type: TreatmentTierEnum, required: false, description: 'Only this tier.' }),
    careSetting: t.field({ type: CareSettingEnum, required: false, description: 'Only home or facility patients.' }),
  }),
});

builder.queryFields((t) => ({
  patient: t.field({
    type: PatientRef,
    nullable: true,
    description: 'One patient by id; null when unknown.',
    args: { id: t.arg.id({ required: true, description: 'Patient id.' }) },
    resolve: (_root, args, ctx) => (UUID.test(String(args.id)) ? ctx.loaders.patient.load(String(args.id)) : null),
  }),
  patients: t.connection(
    {
      type: PatientRef,
      description: 'Patients in your jurisdiction, most recently confirmed first. Health officers only.',
      authScopes: { clinical: true },
      args: { filter: t.arg({ type: PatientFilterInput, required: false, description: 'What to match.' }) },
      resolve: async (_root, args, ctx): Promise<CountedPage<Patient>> => {
        const size = pageSize(args, 20);
        const after = decodeCursor(args.after, ['timestamp', 'uuid']) as [string, string] | undefined;
        const filter: PatientFilter = {
          ...jurisdictionFilter(ctx.viewer, args.filter?.wardCode ? String(args.filter.wardCode) : null, args.filter?.districtCode ? String(args.filter.districtCode) : null),
          status: args.filter?.status ?? null,
          tier: args.filter?.tier ?? null,
          careSetting: args.filter?.careSetting ?? null,
        };
        const rows = size === 0 ? [] : await searchPatients(ctx.db, filter, after, size + 1);
        let count: Promise<number> | undefined;
        return {
          ...toPage(rows, size, (p) => [p.confirmedAt.toISOString(), p.id], !!after),
          totalCount: () => (count ??= countPatients(ctx.db, filter)),
        };
      },
    },
    {
      name: 'PatientConnection',
      description: 'A page of patients.',
      fields: (t) => ({ totalCount: t.int({ description: 'All matches.', resolve: (page) => (page as unknown as CountedPage<Patient>).totalCount() }) }),
    },
    { name: 'PatientEdge', description: 'A patient in a page.' },
  ),
}));

const RegisterPatientInput = builder.inputType('RegisterPatientInput', {
  description: 'A newly confirmed case.',
  fields: (t) => ({
    fullName: t.string({ required: true, description: 'Full name (2 to 100 characters).' }),
    dateOfBirth: t.field({ type: 'Date', required: true, description: 'Date of birth; not in the future.' }),
    sex: t.field({ type: SexEnum, required: true, description: 'Sex.' }),
    nationalId: t.string({ required: false, description: '12-digit citizen identity number (CCCD); optional for children.' }),
    phone: t.string({ required: false, description: 'Vietnamese mobile number, e.g. 0912345678 or +84912345678.' }),
    wardCode: t.id({ required: true, description: 'Ward of residence (official code).' }),
    address: t.string({ required: true, description: 'Home address (3 to 300 characters).' }),
    confirmedAt: t.field({ type: 'DateTime', required: true, description: 'When the infection was confirmed; not in the future, not before birth.' }),
    confirmation: t.field({ type: ConfirmationMethodEnum, required: true, description: 'PCR or rapid antigen.' }),
    tier: t.field({ type: TreatmentTierEnum, required: true, description: 'Initial tier.' }),
    riskFactors: t.field({ type: [RiskFactorEnum], required: false, description: 'Known risk factors; age factors are added from the date of birth.' }),
    idempotencyKey: t.string({
      required: false,
      description: 'Retries with the same key (8 to 128 characters) and the same input return the first result; the same key with any other input is a ConflictError.',
    }),
  }),
});

const ChangeTierInput = builder.inputType('ChangeTierInput', {
  description: 'Move a patient to another tier.',
  fields: (t) => ({
    patientId: t.id({ required: true, description: 'The patient.' }),
    to: t.field({ type: TreatmentTierEnum, required: true, description: 'The new tier; must differ from the current one.' }),
    reason: t.string({ required: true, description: 'Why (3 to 500 characters).' }),
    critical: t.boolean({
      required: false,
      description: 'With to: TIER_3 only: whether the patient is critical (nguy kịch). Leaving tier 3 ends critical status.',
    }),
  }),
});

const CaseOutcomeEnum = builder.enumType('CaseOutcome', {
  description: 'How a case ends.',
  values: { RECOVERED: { description: 'Recovered.' }, DECEASED: { description: 'Died.' } },
});

const CloseCaseInput = builder.inputType('CloseCaseInput', {
  description: 'End treatment of a case.',
  fields: (t) => ({
    patientId: t.id({ required: true, description: 'The patient.' }),
    outcome: t.field({ type: CaseOutcomeEnum, required: true, description: 'Recovered or deceased.' }),
    at: t.field({ type: 'DateTime', required: false, description: 'When; now by default.' }),
  }),
});

builder.mutationFields((t) => ({
  registerPatient: t.field({
    type: PatientRef,
    description: 'Register a confirmed case. Health officers, in their jurisdiction.',
    authScopes: { clinical: true },
    errors: { types: [ValidationError, ConflictError, DuplicateActiveCase], dataField: { name: 'patient', description: 'The registered patient.' } },
    args: { input: t.arg({ type: RegisterPatientInput, required: true, description: 'The case.' }) },
    resolve: (_root, { input }, ctx) => registerPatient(ctx.runtime, ctx.viewer, { ...input, wardCode: String(input.wardCode) }),
  }),
  changeTier: t.field({
    type: PatientRef,
    description: 'Change the treatment tier, with a reason; recorded in tierHistory and published to tierChanged.',
    authScopes: { clinical: true },
    errors: {
      types: [ValidationError, NotFoundError, InvalidTierTransition, PatientNotUnderTreatment],
      dataField: { name: 'patient', description: 'The patient after the change.' },
    },
    args: { input: t.arg({ type: ChangeTierInput, required: true, description: 'The change.' }) },
    resolve: async (_root, { input }, ctx) => (await changeTier(ctx.runtime, ctx.viewer, { ...input, patientId: String(input.patientId) })).patient,
  }),
  closeCase: t.field({
    type: PatientRef,
    description: 'Record recovery or death. If the patient is admitted, facilities discharges the bed with the same outcome.',
    authScopes: { clinical: true },
    errors: { types: [ValidationError, NotFoundError, PatientNotUnderTreatment], dataField: { name: 'patient', description: 'The closed case.' } },
    args: { input: t.arg({ type: CloseCaseInput, required: true, description: 'The outcome.' }) },
    resolve: (_root, { input }, ctx) => closeCase(ctx.runtime, ctx.viewer, { ...input, patientId: String(input.patientId) }),
  }),
}));
