import { builder } from '../builder.js';
import { readId } from '../../common/graphql/input-guard.js';
import { inGroup } from '../../common/auth/jurisdiction.js';
import { findWard } from '../../common/admin-units.js';
import { graphQLError } from '../../common/graphql/errors.js';
import { NotFoundError, ValidationError } from '../../common/domain/errors.js';
import { decodeCursor, pageSize, toPage } from '../../common/graphql/pagination.js';
import type { HealthWorker } from '../db/mappers.js';
import { workersCovering } from '../db/worker.repository.js';
import { assignArea, assignFacilityDuty, registerHealthWorker, updateHealthWorker } from '../commands/workers.js';
import { WorkerOriginEnum, WorkerRoleEnum } from './enums.js';
import { CareAssignmentRef, HealthWorkerRef, TeamRef } from './refs.js';

type FieldBuilder = PothosSchemaTypes.ObjectFieldBuilder<typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never, HealthWorker>;

/** A personal-data field: health officers of the worker's area only, every read audited. */
function personal(t: FieldBuilder, field: 'fullName' | 'phone', description: string) {
  return t.string({
    nullable: true,
    description: `${description} Personal data: health officers of the worker’s area; reads are audited.`,
    authScopes: (w) => ({ personalData: w.homeWardCode }),
    resolve: (w, _args, ctx) => {
      ctx.audit('HealthWorker', w.id, field);
      return w[field];
    },
  });
}

HealthWorkerRef.implement({
  description: 'A health worker: public staff or a reinforcement. Visible to dashboards and to health officers; names and phones to officers of the worker’s area.',
  authScopes: { liveFeeds: true },
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Worker id.' }),
    fullName: personal(t, 'fullName', 'Full name.'),
    phone: personal(t, 'phone', 'Mobile number.'),
    role: t.field({ type: WorkerRoleEnum, description: 'Professional role.', resolve: (w) => w.role }),
    origin: t.field({ type: WorkerOriginEnum, description: 'Public staff or which kind of reinforcement.', resolve: (w) => w.origin }),
    homeWardCode: t.exposeID('homeWardCode', { description: 'Ward the worker is based in.' }),
    maxCaseload: t.exposeInt('maxCaseload', { description: 'Most home patients the worker may follow at once.' }),
    caseload: t.exposeInt('caseload', { description: 'Home patients the worker follows now (never above maxCaseload).' }),
    active: t.exposeBoolean('active', { description: 'Currently working.' }),
    teams: t.field({
      type: [TeamRef],
      description: 'Teams the worker belongs to.',
      resolve: async (w, _args, ctx) => (await ctx.loaders.teamsOfWorker.load(w.id)).map((m) => m.team),
    }),
    patients: t.field({
      type: [CareAssignmentRef],
      nullable: true,
      description: 'Open care assignments. Health officers of the worker’s area.',
      authScopes: (w) => ({ personalData: w.homeWardCode }),
      resolve: (w, _args, ctx) => ctx.loaders.careOfWorker.load(w.id),
    }),
  }),
});

builder.asEntity(HealthWorkerRef, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: (ref, ctx) => ctx.loaders.worker.load(ref.id),
});

builder.queryFields((t) => ({
  healthWorker: t.field({
    type: HealthWorkerRef,
    nullable: true,
    description: 'One health worker by id; null when unknown or not visible to you (the two are not told apart).',
    args: { id: t.arg.id({ required: true, description: 'Worker id.' }) },
    resolve: async (_root, args, ctx) => {
      const id = readId(args.id, 'id');
      return inGroup(ctx.viewer, 'liveFeeds') ? ctx.loaders.worker.load(id) : null;
    },
  }),
  healthWorkers: t.connection(
    {
      type: HealthWorkerRef,
      description: 'Workers based in or assigned to a ward, by id. Dashboards and health officers (cursors carry worker ids).',
      authScopes: { liveFeeds: true },
      args: { wardCode: t.arg.id({ required: true, description: 'The ward.' }) },
      resolve: async (_root, args, ctx) => {
        const ward = findWard(args.wardCode);
        if (!ward) throw graphQLError('BAD_USER_INPUT', `No ward has code ${args.wardCode}`);
        const size = pageSize(args, 20);
        const after = decodeCursor(args.after, ['string']) as [string] | undefined;
        const workers = size === 0 ? [] : await workersCovering(ctx.db, ward.code, after?.[0], size + 1);
        return toPage(workers, size, (w) => [w.id], !!after);
      },
    },
    { name: 'HealthWorkerConnection', description: 'A page of health workers.' },
    { name: 'HealthWorkerEdge', description: 'A health worker in a page.' },
  ),
}));

const RegisterHealthWorkerInput = builder.inputType('RegisterHealthWorkerInput', {
  description: 'A new health worker.',
  fields: (t) => ({
    fullName: t.string({ required: true, description: 'Full name (2 to 100 characters).' }),
    phone: t.string({ required: false, description: 'Vietnamese mobile number.' }),
    role: t.field({ type: WorkerRoleEnum, required: true, description: 'Role.' }),
    origin: t.field({ type: WorkerOriginEnum, required: true, description: 'Origin.' }),
    homeWardCode: t.id({ required: true, description: 'Ward the worker is based in.' }),
    maxCaseload: t.int({ required: true, description: 'Caseload cap (1 to 200).' }),
  }),
});

const UpdateHealthWorkerInput = builder.inputType('UpdateHealthWorkerInput', {
  description: 'Change a worker’s cap or activity.',
  fields: (t) => ({
    workerId: t.id({ required: true, description: 'The worker.' }),
    maxCaseload: t.int({ required: false, description: 'New cap (1 to 200, not below the current caseload).' }),
    active: t.boolean({ required: false, description: 'Working or not.' }),
  }),
});

const AssignAreaInput = builder.inputType('AssignAreaInput', {
  description: 'Give a worker an area (a ward, optionally one residential group).',
  fields: (t) => ({
    workerId: t.id({ required: true, description: 'The worker.' }),
    wardCode: t.id({ required: true, description: 'The ward.' }),
    residentialGroup: t.string({ required: false, description: 'Residential group (tổ dân phố) within the ward, up to 100 characters; absent or blank for the whole ward.' }),
  }),
});

const AssignFacilityDutyInput = builder.inputType('AssignFacilityDutyInput', {
  description: 'Put a worker on duty at a facility.',
  fields: (t) => ({
    workerId: t.id({ required: true, description: 'The worker.' }),
    facilityId: t.id({ required: true, description: 'The facility; must exist (checked with the facilities subgraph) and lie in your jurisdiction.' }),
    startsAt: t.field({ type: 'DateTime', required: true, description: 'Start of duty.' }),
    endsAt: t.field({ type: 'DateTime', required: false, description: 'End of duty; open-ended when absent.' }),
  }),
});

builder.mutationFields((t) => ({
  registerHealthWorker: t.field({
    type: HealthWorkerRef,
    description: 'Register a health worker (staff or reinforcement).',
    authScopes: { clinical: true },
    errors: { types: [ValidationError], dataField: { name: 'worker', description: 'The worker.' } },
    args: { input: t.arg({ type: RegisterHealthWorkerInput, required: true, description: 'The worker.' }) },
    resolve: (_root, { input }, ctx) => registerHealthWorker(ctx.runtime, ctx.viewer, input),
  }),
  updateHealthWorker: t.field({
    type: HealthWorkerRef,
    description: 'Change a worker’s caseload cap or mark them active or inactive.',
    authScopes: { clinical: true },
    errors: { types: [ValidationError, NotFoundError], dataField: { name: 'worker', description: 'The worker.' } },
    args: { input: t.arg({ type: UpdateHealthWorkerInput, required: true, description: 'The change.' }) },
    resolve: (_root, { input }, ctx) => updateHealthWorker(ctx.runtime, ctx.viewer, input),
  }),
  assignArea: t.field({
    type: HealthWorkerRef,
    description: 'Assign a worker to a ward or residential group.',
    authScopes: { clinical: true },
    errors: { types: [ValidationError, NotFoundError], dataField: { name: 'worker', description: 'The worker.' } },
    args: { input: t.arg({ type: AssignAreaInput, required: true, description: 'The area.' }) },
    resolve: (_root, { input }, ctx) => assignArea(ctx.runtime, ctx.viewer, input),
  }),
  assignFacilityDuty: t.field({
    type: HealthWorkerRef,
    description: 'Put a worker on duty at a facility in your jurisdiction (counts in Facility.staffOnDuty).',
    authScopes: { clinical: true },
    errors: { types: [ValidationError, NotFoundError], dataField: { name: 'worker', description: 'The worker.' } },
    args: { input: t.arg({ type: AssignFacilityDutyInput, required: true, description: 'The duty.' }) },
    resolve: (_root, { input }, ctx) => assignFacilityDuty(ctx.runtime, ctx.viewer, input, ctx.requestId),
  }),
}));
