/** The resident registry: the Resident entity, its queries (one resident, the gap lists) and registerResident. */
import { readId } from '../../common/graphql/input-guard.js';
import { builder } from '../builder.js';
import { coversWard } from '../../common/auth/viewer.js';
import { findWard } from '../../common/admin-units.js';
import { graphQLError } from '../../common/graphql/errors.js';
import { ConflictError, ValidationError } from '../../common/domain/errors.js';
import { decodeCursor, pageSize, toPage } from '../../common/graphql/pagination.js';
import { gapList } from '../db/resident.repository.js';
import { registerResident } from '../commands/residents.js';
import { GapKindEnum, SchoolingEnum } from './enums.js';
import { HomeRequestRef, RefusalRef, ResidentRef, VaccinationRecordRef, maySeeResident } from './refs.js';

ResidentRef.implement({
  description: 'A resident of a ward’s managed population, for vaccination. Personal data: vaccination teams of the district and health officers inside their jurisdiction.',
  authScopes: (r, ctx) => maySeeResident(ctx.viewer, r.wardCode),
  fields: (t) => {
    const personal = (field: 'fullName' | 'nationalId' | 'dateOfBirth', description: string) =>
      t.string({
        nullable: true,
        description: `${description} Personal data; reads are audited.`,
        resolve: (r, _args, ctx) => {
          ctx.audit('Resident', r.id, field);
          return r[field];
        },
      });
    return {
      id: t.exposeID('id', { description: 'Resident id.' }),
      nationalId: personal('nationalId', '12-digit citizen ID.'),
      fullName: personal('fullName', 'Full name.'),
      dateOfBirth: personal('dateOfBirth', 'Date of birth (YYYY-MM-DD).'),
      wardCode: t.exposeID('wardCode', { description: 'Ward of residence.' }),
      comorbidities: t.exposeBoolean('comorbidities', { description: 'Has chronic disease.' }),
      homebound: t.exposeBoolean('homebound', { description: 'Cannot come to a vaccination site.' }),
      student: t.exposeBoolean('student', { description: 'Goes to school (schooling is not NONE).' }),
      schooling: t.field({ type: SchoolingEnum, description: 'Where the resident studies.', resolve: (r) => r.schooling }),
      doses: t.exposeInt('doses', { description: 'Doses received.' }),
      fullyVaccinated: t.exposeBoolean('fullyVaccinated', { description: 'Primary series complete.' }),
      boosted: t.exposeBoolean('boosted', { description: 'Received a booster.' }),
      nextDoseDueOn: t.field({
        type: 'Date',
        nullable: true,
        description: 'Day the next dose falls due by the intervals of the primary series’ vaccine (dose 2 or 3, then the booster); null before any dose and once boosted.',
        resolve: (r) => r.nextDoseDueOn,
      }),
      records: t.field({ type: [VaccinationRecordRef], description: 'Every dose, oldest first.', resolve: (r, _args, ctx) => ctx.loaders.records.load(r.id) }),
      homeVaccinationRequests: t.field({ type: [HomeRequestRef], description: 'Home-vaccination requests, newest first.', resolve: (r, _args, ctx) => ctx.loaders.homeRequests.load(r.id) }),
      refusal: t.field({
        type: RefusalRef,
        nullable: true,
        description: 'The latest refusal of vaccination (kept after later doses); null when none was recorded. Personal data; reads are audited.',
        resolve: (r, _args, ctx) => {
          if (!r.refusal) return null;
          ctx.audit('Resident', r.id, 'refusal');
          return r.refusal;
        },
      }),
    };
  },
});

builder.asEntity(ResidentRef, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: (ref, ctx) => ctx.loaders.resident.load(ref.id),
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
      const resident = await ctx.loaders.residentByNationalId.load(readId(args.nationalId, 'nationalId'));
      return resident && maySeeResident(ctx.viewer, resident.wardCode) ? resident : null;
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
}));

const RegisterResidentInput = builder.inputType('RegisterResidentInput', {
  description: 'A resident joining a ward’s managed population.',
  fields: (t) => ({
    nationalId: t.string({ required: true, description: '12-digit citizen ID.' }),
    fullName: t.string({ required: true, description: 'Full name (2 to 100 characters).' }),
    dateOfBirth: t.field({ type: 'Date', required: true, description: 'Date of birth.' }),
    wardCode: t.id({ required: true, description: 'Ward of residence.' }),
    comorbidities: t.boolean({ required: false, description: 'Has chronic disease.' }),
    homebound: t.boolean({ required: false, description: 'Cannot come to a site.' }),
    student: t.boolean({ required: false, description: 'Goes to school. Without schooling, the level is taken from the age (12–17 secondary, 18 and over university, under 12 primary).' }),
    schooling: t.field({ type: SchoolingEnum, required: false, description: 'Where the resident studies (default NONE, or from student and the age); must agree with student when both are given.' }),
  }),
});

builder.mutationFields((t) => ({
  registerResident: t.field({
    type: ResidentRef,
    description: 'Add a resident to a ward’s managed population.',
    authScopes: { vaccinationWriters: true },
    errors: { types: [ValidationError, ConflictError], dataField: { name: 'resident', description: 'The resident.' } },
    args: { input: t.arg({ type: RegisterResidentInput, required: true, description: 'The resident.' }) },
    resolve: (_root, { input }, ctx) => registerResident(ctx.runtime, ctx.viewer, { ...input, wardCode: String(input.wardCode) }),
  }),
}));
