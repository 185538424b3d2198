/** Daily checks, isolation orders and medicine packages: clinical data, clinical roles only. */
import { builder } from '../builder.js';
import { CLINICAL_ROLES } from '../../common/auth/viewer.js';
import { ConflictError, NotFoundError, ValidationError } from '../../common/domain/errors.js';
import { decodeCursor, pageSize, toPage, type CountedPage } from '../../common/graphql/pagination.js';
import type { DailyCheck, IsolationOrder, MedicineDispensed, Patient } from '../db/mappers.js';
import { countOverdue, overduePatients } from '../db/patient.repository.js';
import { recordDailyCheck } from '../commands/checks.js';
import { dispenseMedicine, issueIsolationOrder } from '../commands/care.js';
import { NotEligible, OutOfStock, PatientNotUnderTreatment } from '../domain/errors.js';
import { FacilityRef } from './area-refs.js';
import { MedicinePackageEnum, SymptomEnum, TreatmentTierEnum, WarningSignEnum } from './enums.js';
import { PatientRef, jurisdictionFilter } from './patient.js';
import { auditedValue } from './personal-field.js';

export const DailyCheckRef = builder.objectRef<DailyCheck>('DailyCheck').implement({
  description: 'A daily check of a patient: vital signs and symptoms, evaluated against the Ministry of Health warning signs.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Check id.' }),
    at: t.field({ type: 'DateTime', description: 'When the check was made.', resolve: (c) => c.at }),
    spo2: t.exposeInt('spo2', { description: 'Oxygen saturation, percent.' }),
    temperatureC: t.exposeFloat('temperatureC', { nullable: true, description: 'Temperature, °C.' }),
    respiratoryRate: t.exposeInt('respiratoryRate', { nullable: true, description: 'Breaths per minute.' }),
    heartRate: t.exposeInt('heartRate', { nullable: true, description: 'Pulse, beats per minute.' }),
    systolic: t.exposeInt('systolic', { nullable: true, description: 'Systolic blood pressure, mmHg.' }),
    diastolic: t.exposeInt('diastolic', { nullable: true, description: 'Diastolic blood pressure, mmHg.' }),
    symptoms: t.field({ type: [SymptomEnum], description: 'Symptoms reported.', resolve: (c) => c.symptoms }),
    warningSigns: t.field({ type: [WarningSignEnum], description: 'Warning signs found (empty when none).', resolve: (c) => c.warningSigns }),
    needsEscalation: t.exposeBoolean('needsEscalation', { description: 'A warning sign was found: a doctor must see the patient now.' }),
    suggestedTier: t.field({ type: TreatmentTierEnum, description: 'Tier the findings suggest (never below the current tier).', resolve: (c) => c.suggestedTier }),
  }),
});

const IsolationOrderRef = builder.objectRef<IsolationOrder>('IsolationOrder').implement({
  description: 'An isolation order (quyết định cách ly) issued for a patient.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Order id.' }),
    documentNumber: t.exposeString('documentNumber', { description: 'Number of the issuing document.' }),
    startsOn: t.field({ type: 'Date', description: 'First day of isolation.', resolve: (o) => o.startsOn }),
    plannedEndOn: t.field({ type: 'Date', description: 'Planned last day.', resolve: (o) => o.plannedEndOn }),
    endedAt: t.field({ type: 'DateTime', nullable: true, description: 'When it ended (superseded, recovery or death); null while in force.', resolve: (o) => o.endedAt }),
  }),
});

const MedicineDispensedRef = builder.objectRef<MedicineDispensed>('MedicineDispensed').implement({
  description: 'A medicine package given to a patient.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Record id.' }),
    package: t.field({ type: MedicinePackageEnum, description: 'Package A, B or C.', resolve: (m) => m.package }),
    dispensedAt: t.field({ type: 'DateTime', description: 'When.', resolve: (m) => m.dispensedAt }),
    doctorOrder: t.exposeBoolean('doctorOrder', { description: "Given on a doctor's order." }),
    screened: t.exposeBoolean('screened', { description: 'The patient was screened.' }),
    consent: t.exposeBoolean('consent', { description: 'The patient gave written consent.' }),
    station: t.field({
      type: FacilityRef,
      nullable: true,
      description: "The station whose stock it was taken from; null when given without a station's stock.",
      resolve: (m) => (m.facilityId ? { id: m.facilityId } : null),
    }),
    orderReference: t.string({
      nullable: true,
      description: "The doctor's order it was given on (required for C). Every read is audited.",
      resolve: (m, _args, ctx) => auditedValue(ctx, 'MedicineDispensed', m.id, 'orderReference', m.orderReference),
    }),
    prescriber: t.string({
      nullable: true,
      description: 'The prescribing doctor (required for C). Every read is audited.',
      resolve: (m, _args, ctx) => auditedValue(ctx, 'MedicineDispensed', m.id, 'prescriber', m.prescriber),
    }),
  }),
});

const clinicalOnly = (p: Patient) => ({ personalData: p.wardCode });

builder.objectFields(PatientRef, (t) => ({
  dailyChecks: t.field({
    type: [DailyCheckRef],
    nullable: true,
    description: 'The latest 14 daily checks, newest first. Clinical roles in jurisdiction.',
    authScopes: clinicalOnly,
    resolve: (p, _args, ctx) => ctx.loaders.recentChecks.load(p.id),
  }),
  latestCheck: t.field({
    type: DailyCheckRef,
    nullable: true,
    description: 'The newest daily check, if any. Clinical roles in jurisdiction.',
    authScopes: clinicalOnly,
    resolve: async (p, _args, ctx) => (await ctx.loaders.recentChecks.load(p.id))[0] ?? null,
  }),
  isolationOrders: t.field({
    type: [IsolationOrderRef],
    nullable: true,
    description: 'Isolation orders, newest first. Clinical roles in jurisdiction.',
    authScopes: clinicalOnly,
    resolve: (p, _args, ctx) => ctx.loaders.isolationOrders.load(p.id),
  }),
  medicinePackages: t.field({
    type: [MedicineDispensedRef],
    nullable: true,
    description: 'Medicine packages given, oldest first. Clinical roles in jurisdiction.',
    authScopes: clinicalOnly,
    resolve: (p, _args, ctx) => ctx.loaders.medicine.load(p.id),
  }),
}));

const RecordDailyCheckInput = builder.inputType('RecordDailyCheckInput', {
  description: 'A daily check.',
  fields: (t) => ({
    patientId: t.id({ required: true, description: 'The patient.' }),
    at: t.field({ type: 'DateTime', required: true, description: 'When the check was made; not in the future.' }),
    spo2: t.int({ required: true, description: 'SpO2 percent (50 to 100).' }),
    temperatureC: t.float({ required: false, description: 'Temperature °C (30 to 45).' }),
    respiratoryRate: t.int({ required: false, description: 'Breaths per minute.' }),
    heartRate: t.int({ required: false, description: 'Pulse per minute.' }),
    systolic: t.int({ required: false, description: 'Systolic blood pressure, mmHg.' }),
    diastolic: t.int({ required: false, description: 'Diastolic blood pressure, mmHg.' }),
    symptoms: t.field({ type: [SymptomEnum], required: false, description: 'Symptoms reported.' }),
    critical: t.boolean({
      required: false,
      description: 'Tier-3 patients only: true when the clinician judges the patient critical (nguy kịch), false when no longer; absent leaves it as it was. Counted in treatmentSnapshot.critical.',
    }),
  }),
});

const IssueIsolationOrderInput = builder.inputType('IssueIsolationOrderInput', {
  description: 'An isolation order; supersedes the one in force.',
  fields: (t) => ({
    patientId: t.id({ required: true, description: 'The patient.' }),
    documentNumber: t.string({ required: true, description: 'Number of the issuing document.' }),
    startsOn: t.field({ type: 'Date', required: true, description: 'First day.' }),
    plannedEndOn: t.field({ type: 'Date', required: true, description: 'Planned last day.' }),
  }),
});

const DispenseMedicineInput = builder.inputType('DispenseMedicineInput', {
  description: 'A medicine package to give; eligibility is checked.',
  fields: (t) => ({
    patientId: t.id({ required: true, description: 'The patient.' }),
    package: t.field({ type: MedicinePackageEnum, required: true, description: 'A, B or C.' }),
    doctorOrder: t.boolean({ required: false, defaultValue: false, description: "A doctor ordered it (required for B)." }),
    screened: t.boolean({ required: false, defaultValue: false, description: 'The patient was screened (required for C).' }),
    consent: t.boolean({ required: false, defaultValue: false, description: 'Written consent obtained (required for C).' }),
    stationId: t.id({
      required: false,
      description: "The station whose stock it comes from: one package is taken from it in the same transaction (OutOfStock when none is left). Jurisdiction over the station is needed too. Without it, the package comes from the one place of the patient's ward that keeps it; when no place or several do, a ValidationError asks for it.",
    }),
    orderReference: t.string({ required: false, description: "Reference of the doctor's order (required for C, molnupiravir)." }),
    prescriber: t.string({ required: false, description: 'The prescribing doctor (required for C).' }),
    idempotencyKey: t.string({ required: false, description: 'Retry-safe key (8 to 128 characters): the same key and input dispense once.' }),
  }),
});

builder.mutationFields((t) => ({
  recordDailyCheck: t.field({
    type: DailyCheckRef,
    description: 'Record a daily check. Warning signs raise `needsEscalation` and an escalationRaised event.',
    authScopes: { clinical: true },
    errors: { types: [ValidationError, NotFoundError, PatientNotUnderTreatment], dataField: { name: 'check', description: 'The recorded check.' } },
    args: { input: t.arg({ type: RecordDailyCheckInput, required: true, description: 'The check.' }) },
    resolve: async (_root, { input }, ctx) => (await recordDailyCheck(ctx.runtime, ctx.viewer, { ...input, patientId: String(input.patientId) })).check,
  }),
  issueIsolationOrder: t.field({
    type: IsolationOrderRef,
    description: 'Issue an isolation order.',
    authScopes: { clinical: true },
    errors: { types: [ValidationError, NotFoundError, PatientNotUnderTreatment], dataField: { name: 'order', description: 'The order.' } },
    args: { input: t.arg({ type: IssueIsolationOrderInput, required: true, description: 'The order.' }) },
    resolve: (_root, { input }, ctx) => issueIsolationOrder(ctx.runtime, ctx.viewer, { ...input, patientId: String(input.patientId) }),
  }),
  dispenseMedicinePackage: t.field({
    type: MedicineDispensedRef,
    description: "Give a medicine package, checking eligibility (B on doctor order; C adults, screened, consent, not pregnant, with the doctor's order reference and prescriber), taking it from a station's stock in the same transaction (the named one, or the one place of the patient's ward that keeps the package).",
    authScopes: { clinical: true },
    errors: { types: [ValidationError, NotFoundError, ConflictError, PatientNotUnderTreatment, NotEligible, OutOfStock], dataField: { name: 'dispensed', description: 'What was given.' } },
    args: { input: t.arg({ type: DispenseMedicineInput, required: true, description: 'What to give.' }) },
    resolve: (_root, { input }, ctx) =>
      dispenseMedicine(ctx.runtime, ctx.viewer, {
        patientId: String(input.patientId),
        package: input.package,
        doctorOrder: input.doctorOrder ?? false,
        screened: input.screened ?? false,
        consent: input.consent ?? false,
        stationId: input.stationId == null ? null : String(input.stationId),
        orderReference: input.orderReference,
        prescriber: input.prescriber,
        idempotencyKey: input.idempotencyKey,
      }, ctx.requestId),
  }),
}));

const OVERDUE_AFTER_MS = 24 * 3_600_000;

builder.queryFields((t) => ({
  overdueChecks: t.connection(
    {
      type: PatientRef,
      description: 'Home patients under treatment with no daily check for more than 24 hours (never checked counts from registration), longest overdue first.',
      authScopes: { clinical: true },
      args: {
        wardCode: t.arg.id({ required: false, description: 'Only this ward.' }),
        districtCode: t.arg.id({ required: false, description: 'Only this district.' }),
      },
      resolve: async (_root, args, ctx): Promise<CountedPage<Patient>> => {
        const size = pageSize(args, 20);
        const after = decodeCursor(args.after, ['timestamp', 'uuid']) as [string, string] | undefined;
        const filter = jurisdictionFilter(ctx.viewer, args.wardCode ? String(args.wardCode) : null, args.districtCode ? String(args.districtCode) : null);
        const dueBefore = new Date(ctx.now().getTime() - OVERDUE_AFTER_MS);
        const rows = size === 0 ? [] : await overduePatients(ctx.db, filter, dueBefore, after, size + 1);
        let count: Promise<number> | undefined;
        return {
          ...toPage(rows, size, (p) => [(p.lastCheckAt ?? p.registeredAt).toISOString(), p.id], !!after),
          totalCount: () => (count ??= countOverdue(ctx.db, filter, dueBefore)),
        };
      },
    },
    {
      name: 'OverdueCheckConnection',
      description: 'A page of patients whose daily check is overdue.',
      fields: (t) => ({ totalCount: t.int({ description: 'All overdue patients matching.', resolve: (page) => (page as unknown as CountedPage<Patient>).totalCount() }) }),
    },
    { name: 'OverdueCheckEdge', description: 'A patient whose check is overdue.' },
  ),
}));
