import { builder, ErrorInterface } from '../builder.js';
import { describedValues } from '../../common/graphql/enums.js';
import { ConflictError, NotFoundError, ValidationError, graphQLError } from '../../common/graphql/errors.js';
import { CLINICAL_ROLES, coversWard, maySeePersonalData, type Viewer } from '../../common/auth/viewer.js';
import { findWard } from '../../common/admin-units.js';
import { decodeCursor, pageSize, toPage } from '../../common/graphql/pagination.js';
import type { HomeVaccinationRequestRow, ResidentRow, VaccinationRecordRow } from '../db/tables.js';
import { coverageByArea, gapList, type CoverageRow, type DoseDayRow } from '../db/vaccination.repository.js';
import { AGE_BANDS, DOSE_KINDS, GAP_KINDS, SCHEDULES, VACCINES, type DoseKind, type Vaccine } from '../domain/schedule.js';
import { byAgeBand, share, total } from '../domain/coverage.js';
import { DoseOutOfOrder, DoseTooSoon, DuplicateDose } from '../domain/errors.js';
import { recordDose, registerResident, requestHomeVaccination } from '../commands/doses.js';

const VaccineEnum = builder.enumType('Vaccine', {
  description: 'The COVID-19 vaccines used in Viet Nam.',
  values: describedValues(VACCINES, Object.fromEntries(VACCINES.map((v) => [v, `${SCHEDULES[v].label}: ${SCHEDULES[v].primaryDoses}-dose primary series${SCHEDULES[v].intervalDays ? `, ${SCHEDULES[v].intervalDays} days apart` : ''}.`])) as Record<Vaccine, string>),
});

const DoseKindEnum = builder.enumType('DoseKind', {
  description: 'Which dose of a person’s schedule.',
  values: describedValues(DOSE_KINDS, {
    PRIMARY_1: 'First dose of the primary series (mũi 1).',
    PRIMARY_2: 'Second dose of the primary series (mũi 2).',
    PRIMARY_3: 'Third primary dose, for three-dose vaccines (Abdala).',
    ADDITIONAL: 'Additional dose for the immunocompromised (mũi bổ sung), at least 28 days after the primary series.',
    BOOSTER: 'Booster dose (mũi nhắc lại), at least 3 months after the last dose.',
  }),
});

const AgeBandEnum = builder.enumType('AgeBand', {
  description: 'Age bands of the city’s reports, by year of birth (age = this year − year of birth).',
  values: describedValues(
    AGE_BANDS.map((b) => b.band),
    Object.fromEntries(AGE_BANDS.map((b) => [b.band, b.to >= 200 ? `${b.from} and over.` : `${b.from} to ${b.to}.`])) as Record<(typeof AGE_BANDS)[number]['band'], string>,
  ),
});

const GapKindEnum = builder.enumType('VaccinationGapKind', {
  description: 'The lists the city chased.',
  values: describedValues(GAP_KINDS, {
    OVER_50_WITHOUT_DOSE_1: 'People aged 50 or more without a first dose.',
    HOMEBOUND_AWAITING_HOME_VACCINATION: 'Homebound elderly or comorbid residents waiting for the home-vaccination team.',
    STUDENTS_NOT_FULLY_VACCINATED: 'Students not fully vaccinated (schools reopened only to fully vaccinated students).',
  }),
});

builder.objectType(DoseOutOfOrder, {
  name: 'DoseOutOfOrder',
  description: 'The dose does not follow the resident’s schedule (e.g. dose 2 before dose 1). Nothing was written.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ expected: t.field({ type: DoseKindEnum, nullable: true, description: 'The dose that would come next.', resolve: (e) => e.expected }) }),
});
builder.objectType(DoseTooSoon, {
  name: 'DoseTooSoon',
  description: 'The minimum interval since the previous dose has not passed.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ earliest: t.field({ type: 'Date', description: 'First day the dose may be given.', resolve: (e) => e.earliest }) }),
});
builder.objectType(DuplicateDose, {
  name: 'DuplicateDose',
  description: 'A dose was already recorded for this resident on that day.',
  interfaces: [ErrorInterface],
  fields: () => ({}),
});

/** Vaccination teams of the district and clinical officers may see residents' personal data. */
const maySeeResident = (viewer: Viewer, wardCode: string) => maySeePersonalData(viewer, wardCode, ['VACCINATOR']);

const VaccinationRecordRef = builder.objectRef<VaccinationRecordRow>('VaccinationRecord').implement({
  description: 'One dose given to one resident.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Record id.' }),
    dose: t.field({ type: DoseKindEnum, description: 'Which dose.', resolve: (r) => r.dose }),
    vaccine: t.field({ type: VaccineEnum, description: 'Vaccine given.', resolve: (r) => r.vaccine }),
    lot: t.exposeString('lot', { nullable: true, description: 'Vaccine lot number.' }),
    administeredAt: t.field({ type: 'DateTime', description: 'When it was given.', resolve: (r) => r.administered_at }),
    siteFacilityId: t.exposeID('site_facility_id', { nullable: true, description: 'Facility where it was given; null at home.' }),
    atHome: t.exposeBoolean('at_home', { description: 'Given at home by a home-vaccination team.' }),
  }),
});

const HomeRequestRef = builder.objectRef<HomeVaccinationRequestRow>('HomeVaccinationRequest').implement({
  description: 'A request for the home-vaccination team to vaccinate a homebound resident.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Request id.' }),
    requestedAt: t.field({ type: 'DateTime', description: 'When it was asked for.', resolve: (r) => r.requested_at }),
    reason: t.exposeString('reason', { description: 'Why at home.' }),
    scheduledFor: t.field({ type: 'Date', nullable: true, description: 'Planned day of the visit.', resolve: (r) => r.scheduled_for }),
    doneAt: t.field({ type: 'DateTime', nullable: true, description: 'When the dose was given; null while waiting.', resolve: (r) => r.done_at }),
  }),
});

export const ResidentRef = builder.objectRef<ResidentRow>('Resident');
ResidentRef.implement({
  description: 'A resident of a ward’s managed population, for vaccination. Personal data: vaccination teams of the district and health officers inside their jurisdiction.',
  authScopes: (r, ctx) => maySeeResident(ctx.viewer, r.ward_code),
  fields: (t) => {
    const personal = (field: 'full_name' | 'national_id' | 'date_of_birth', name: string, description: string) =>
      t.string({
        nullable: true,
        description: `${description} Personal data; reads are audited.`,
        resolve: (r, _args, ctx) => {
          ctx.audit('Resident', r.id, name);
          return r[field];
        },
      });
    return {
      id: t.exposeID('id', { description: 'Resident id.' }),
      nationalId: personal('national_id', 'nationalId', '12-digit citizen ID.'),
      fullName: personal('full_name', 'fullName', 'Full name.'),
      dateOfBirth: personal('date_of_birth', 'dateOfBirth', 'Date of birth (YYYY-MM-DD).'),
      wardCode: t.exposeID('ward_code', { description: 'Ward of residence.' }),
      comorbidities: t.exposeBoolean('comorbidities', { description: 'Has chronic disease.' }),
      homebound: t.exposeBoolean('homebound', { description: 'Cannot come to a vaccination site.' }),
      student: t.exposeBoolean('student', { description: 'Goes to school.' }),
      doses: t.exposeInt('doses', { description: 'Doses received.' }),
      fullyVaccinated: t.exposeBoolean('fully_vaccinated', { description: 'Primary series complete.' }),
      boosted: t.exposeBoolean('boosted', { description: 'Received a booster.' }),
      records: t.field({ type: [VaccinationRecordRef], description: 'Every dose, oldest first.', resolve: (r, _args, ctx) => ctx.loaders.records.load(r.id) }),
      homeVaccinationRequests: t.field({ type: [HomeRequestRef], description: 'Home-vaccination requests, newest first.', resolve: (r, _args, ctx) => ctx.loaders.homeRequests.load(r.id) }),
    };
  },
});

builder.asEntity(ResidentRef, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: (ref, ctx) => ctx.loaders.resident.load(ref.id),
});

interface AreaCoverage {
  rows: CoverageRow[];
  progress: DoseDayRow[];
  year: number;
}

const AgeBandCoverageRef = builder.objectRef<ReturnType<typeof byAgeBand>[number]>('AgeBandCoverage').implement({
  description: 'Vaccination of one age band.',
  fields: (t) => ({
    band: t.field({ type: AgeBandEnum, description: 'The band.', resolve: (b) => b.band }),
    population: t.exposeInt('population', { description: 'Registered residents in the band.' }),
    dose1: t.exposeInt('dose1', { description: 'With at least one dose.' }),
    fullyVaccinated: t.exposeInt('fully', { description: 'With the primary series complete.' }),
    boosted: t.exposeInt('boosted', { description: 'With a booster.' }),
  }),
});

const DailyDosesRef = builder.objectRef<{ date: string; doses: number; byDose: { dose: DoseKind; count: number }[] }>('DailyDoses').implement({
  description: 'Doses given on one day.',
  fields: (t) => ({
    date: t.field({ type: 'Date', description: 'The day (city time).', resolve: (d) => d.date }),
    doses: t.exposeInt('doses', { description: 'All doses given that day.' }),
    byDose: t.field({
      type: [builder.objectRef<{ dose: DoseKind; count: number }>('DoseCount').implement({
        description: 'Doses of one kind.',
        fields: (u) => ({
          dose: u.field({ type: DoseKindEnum, description: 'Which dose.', resolve: (c) => c.dose }),
          count: u.exposeInt('count', { description: 'How many.' }),
        }),
      })],
      description: 'Per dose kind (only kinds given that day).',
      resolve: (d) => d.byDose,
    }),
  }),
});

const CoverageRef = builder.objectRef<AreaCoverage>('VaccinationCoverage').implement({
  description: 'Vaccination of an area’s registered population, from counters kept with every dose (no record scans). Ages by year of birth.',
  fields: (t) => {
    const all = (c: AreaCoverage) => total(c.rows, c.year);
    return {
      population: t.int({ description: 'Registered residents (the managed population).', resolve: (c) => all(c).population }),
      dose1: t.int({ description: 'Residents with at least one dose.', resolve: (c) => all(c).dose1 }),
      fullyVaccinated: t.int({ description: 'Residents with the primary series complete.', resolve: (c) => all(c).fully }),
      boosted: t.int({ description: 'Residents with a booster.', resolve: (c) => all(c).boosted }),
      dose1Coverage: t.float({ description: 'Share of residents with at least one dose (0–1).', resolve: (c) => share(all(c).dose1, all(c).population) }),
      dose2Coverage: t.float({ description: 'Share of residents with the primary series complete (0–1).', resolve: (c) => share(all(c).fully, all(c).population) }),
      boosterCoverage: t.float({ description: 'Share of residents with a booster (0–1).', resolve: (c) => share(all(c).boosted, all(c).population) }),
      adults18PlusDose1Coverage: t.float({
        description: 'Share of adults (18+) with at least one dose: criterion 2 of the epidemic level.',
        resolve: (c) => {
          const a = total(c.rows, c.year, 18);
          return share(a.dose1, a.population);
        },
      }),
      over50FullyVaccinatedCoverage: t.float({
        description: 'Share of people aged 50+ with the primary series complete: part of criterion 2 of the epidemic level.',
        resolve: (c) => {
          const a = total(c.rows, c.year, 50);
          return share(a.fully, a.population);
        },
      }),
      over50WithoutDose1: t.int({
        description: 'People aged 50+ without a first dose: the list to chase.',
        resolve: (c) => {
          const a = total(c.rows, c.year, 50);
          return a.population - a.dose1;
        },
      }),
      children5to11Dose1: t.int({ description: 'Children 5–11 with a first dose.', resolve: (c) => total(c.rows, c.year, 5, 11).dose1 }),
      byAgeBand: t.field({ type: [AgeBandCoverageRef], description: 'The same per age band.', resolve: (c) => byAgeBand(c.rows, c.year) }),
      dailyProgress: t.field({
        type: [DailyDosesRef],
        description: 'Doses given per day over the last 14 days, oldest first (days without doses are omitted).',
        resolve: (c) => {
          const byDay = new Map<string, { date: string; doses: number; byDose: { dose: DoseKind; count: number }[] }>();
          for (const d of c.progress) {
            const entry = byDay.get(d.day) ?? { date: d.day, doses: 0, byDose: [] };
            entry.doses += d.count;
            entry.byDose.push({ dose: d.dose as DoseKind, count: d.count });
            byDay.set(d.day, entry);
          }
          return [...byDay.values()];
        },
      }),
    };
  },
});

builder.externalRef('District', builder.selection<{ code: string }>('code')).implement({
  description: 'A district of Hanoi (owned by the facilities subgraph).',
  externalFields: (t) => ({ code: t.id({ description: 'Official district code.' }) }),
  fields: (t) => ({
    vaccination: t.field({
      type: CoverageRef,
      description: 'Vaccination coverage of the district (one grouped query for all districts of a request).',
      resolve: async (d, _args, ctx) => ({
        rows: await ctx.loaders.districtCoverage.load(d.code),
        progress: await ctx.loaders.districtProgress.load(d.code),
        year: Number(ctx.today().slice(0, 4)),
      }),
    }),
  }),
});

builder.externalRef('Ward', builder.selection<{ code: string }>('code')).implement({
  description: 'A ward, commune or township of Hanoi (owned by the facilities subgraph).',
  externalFields: (t) => ({ code: t.id({ description: 'Official ward code.' }) }),
  fields: (t) => ({
    vaccination: t.field({
      type: CoverageRef,
      description: 'Vaccination coverage of the ward.',
      resolve: async (w, _args, ctx) => ({
        rows: await ctx.loaders.wardCoverage.load(w.code),
        progress: await ctx.loaders.wardProgress.load(w.code),
        year: Number(ctx.today().slice(0, 4)),
      }),
    }),
  }),
});

const PatientVaccinationRef = builder.objectRef<ResidentRow>('PatientVaccination').implement({
  description: 'Vaccination status of a patient, matched to the resident registry by citizen ID.',
  fields: (t) => ({
    doses: t.exposeInt('doses', { description: 'Doses received.' }),
    fullyVaccinated: t.exposeBoolean('fully_vaccinated', { description: 'Primary series complete.' }),
    boosted: t.exposeBoolean('boosted', { description: 'Received a booster.' }),
    lastDoseOn: t.field({ type: 'Date', nullable: true, description: 'Day of the latest dose.', resolve: (r) => r.last_dose_on }),
  }),
});

builder.externalRef('Patient', builder.selection<{ id: string }>('id')).implement({
  description: 'A confirmed COVID-19 case (F0), owned by the patients subgraph.',
  externalFields: (t) => ({
    id: t.id({ description: 'Patient id.' }),
    nationalId: t.string({ nullable: true, description: 'Citizen ID (owned by patients; personal data).' }),
  }),
  fields: (t) => ({
    vaccination: t.field({
      type: PatientVaccinationRef,
      nullable: true,
      description:
        'Vaccination status from the resident registry, matched on the citizen ID (fetched from patients through @requires, so only viewers allowed to read it get an answer); null without a citizen ID or a registry entry.',
      requires: builder.selection<{ nationalId?: string | null }>('nationalId'),
      resolve: async (p, _args, ctx) => {
        if (!p.nationalId) return null;
        const resident = await ctx.loaders.residentByNationalId.load(p.nationalId);
        if (!resident || !maySeeResident(ctx.viewer, resident.ward_code)) return null;
        return resident;
      },
    }),
  }),
});

builder.queryFields((t) => ({
  resident: t.field({
    type: ResidentRef,
    nullable: true,
    description:
      'A resident by citizen ID. Vaccination teams and health officers; null when the citizen ID is unknown or the resident lives outside your jurisdiction (the two are not told apart).',
    authScopes: { vaccinationReaders: true },
    args: { nationalId: t.arg.string({ required: true, description: '12-digit citizen ID.' }) },
    resolve: async (_root, args, ctx) => {
      const resident = await ctx.loaders.residentByNationalId.load(args.nationalId.trim());
      return resident && maySeeResident(ctx.viewer, resident.ward_code) ? resident : null;
    },
  }),
  vaccinationGaps: t.connection(
    {
      type: ResidentRef,
      description: 'Residents of a ward on one of the lists to chase, by id. Vaccination teams and health officers of the jurisdiction.',
      authScopes: { vaccinationReaders: true },
      args: {
        wardCode: t.arg.id({ required: true, description: 'The ward.' }),
        kind: t.arg({ type: GapKindEnum, required: true, description: 'Which list.' }),
      },
      resolve: async (_root, args, ctx) => {
        const ward = findWard(String(args.wardCode));
        if (!ward) throw graphQLError('BAD_USER_INPUT', `No ward has code ${args.wardCode}`);
        if (!coversWard(ctx.viewer, ward.code)) throw graphQLError('FORBIDDEN', 'Outside your jurisdiction');
        const size = pageSize(args, 20);
        const after = decodeCursor(args.after, ['string']) as [string] | undefined;
        const rows = size === 0 ? [] : await gapList(ctx.db, ward.code, args.kind, ctx.today(), after?.[0], size + 1);
        return toPage(rows, size, (r) => [r.id], !!after);
      },
    },
    { name: 'ResidentConnection', description: 'A page of residents.' },
    { name: 'ResidentEdge', description: 'A resident in a page.' },
  ),
  cityVaccination: t.field({
    type: CoverageRef,
    description: 'Vaccination coverage of the whole city.',
    resolve: async (_root, _args, ctx) => ({ rows: await coverageByArea(ctx.db, 'city'), progress: [], year: Number(ctx.today().slice(0, 4)) }),
  }),
}));

const RecordDoseInput = builder.inputType('RecordDoseInput', {
  description: 'A dose given.',
  fields: (t) => ({
    nationalId: t.string({ required: true, description: 'Citizen ID of the resident.' }),
    dose: t.field({ type: DoseKindEnum, required: true, description: 'Which dose.' }),
    vaccine: t.field({ type: VaccineEnum, required: true, description: 'Vaccine given.' }),
    administeredAt: t.field({ type: 'DateTime', required: true, description: 'When; not in the future.' }),
    lot: t.string({ required: false, description: 'Lot number (1 to 50 characters).' }),
    siteFacilityId: t.id({ required: false, description: 'Facility where it was given; null when given at home.' }),
    atHome: t.boolean({ required: false, description: 'Given at home (closes the resident’s home-vaccination request).' }),
    idempotencyKey: t.string({
      required: false,
      description: 'Retries with the same key (8 to 128 characters) and the same input return the first record; the same key with any other input is a ConflictError.',
    }),
  }),
});

const RegisterResidentInput = builder.inputType('RegisterResidentInput', {
  description: 'A resident joining a ward’s managed population.',
  fields: (t) => ({
    nationalId: t.string({ required: true, description: '12-digit citizen ID.' }),
    fullName: t.string({ required: true, description: 'Full name (2 to 100 characters).' }),
    dateOfBirth: t.field({ type: 'Date', required: true, description: 'Date of birth.' }),
    wardCode: t.id({ required: true, description: 'Ward of residence.' }),
    comorbidities: t.boolean({ required: false, description: 'Has chronic disease.' }),
    homebound: t.boolean({ required: false, description: 'Cannot come to a site.' }),
    student: t.boolean({ required: false, description: 'Goes to school.' }),
  }),
});

const RequestHomeVaccinationInput = builder.inputType('RequestHomeVaccinationInput', {
  description: 'Ask the home-vaccination team to come.',
  fields: (t) => ({
    nationalId: t.string({ required: true, description: 'Citizen ID of the homebound resident.' }),
    reason: t.string({ required: true, description: 'Why at home (3 to 500 characters).' }),
    scheduledFor: t.field({ type: 'Date', required: false, description: 'Planned day.' }),
  }),
});


builder.mutationFields((t) => ({
  recordDose: t.field({
    type: VaccinationRecordRef,
    description:
      'Record a dose; order, intervals and same-day duplicates are checked, counters updated in the same transaction. A resident outside your district is answered like an unknown citizen ID (NotFoundError).',
    authScopes: { vaccinationWriters: true },
    errors: {
      types: [ValidationError, NotFoundError, ConflictError, DoseOutOfOrder, DoseTooSoon, DuplicateDose],
      dataField: { name: 'record', description: 'The recorded dose (or, on a retry with the same key and input, the first one).' },
    },
    args: { input: t.arg({ type: RecordDoseInput, required: true, description: 'The dose.' }) },
    resolve: (_root, { input }, ctx) =>
      recordDose(ctx.runtime, ctx.viewer, { ...input, siteFacilityId: input.siteFacilityId == null ? null : String(input.siteFacilityId) }),
  }),
  registerResident: t.field({
    type: ResidentRef,
    description: 'Add a resident to a ward’s managed population.',
    authScopes: { vaccinationWriters: true },
    errors: { types: [ValidationError, ConflictError], dataField: { name: 'resident', description: 'The resident.' } },
    args: { input: t.arg({ type: RegisterResidentInput, required: true, description: 'The resident.' }) },
    resolve: (_root, { input }, ctx) => registerResident(ctx.runtime, ctx.viewer, { ...input, wardCode: String(input.wardCode) }),
  }),
  requestHomeVaccination: t.field({
    type: HomeRequestRef,
    description: 'Ask the home-vaccination team to vaccinate a homebound elderly or comorbid resident (or reschedule the open request).',
    authScopes: { vaccinationWriters: true },
    errors: { types: [ValidationError, NotFoundError], dataField: { name: 'request', description: 'The request.' } },
    args: { input: t.arg({ type: RequestHomeVaccinationInput, required: true, description: 'The request.' }) },
    resolve: (_root, { input }, ctx) => requestHomeVaccination(ctx.runtime, ctx.viewer, input),
  }),
}));
