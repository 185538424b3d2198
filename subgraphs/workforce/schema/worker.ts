import { builder, ErrorInterface } from '../builder.js';
import { CLINICAL_ROLES, coversWard, maySeePersonalData, type Viewer } from '../../common/auth/viewer.js';
import { describedValues } from '../../common/graphql/enums.js';
import { NotFoundError, ValidationError } from '../../common/graphql/errors.js';
import { findWard } from '../../common/admin-units.js';
import { graphQLError } from '../../common/graphql/errors.js';
import { decodeCursor, pageSize, toPage } from '../../common/graphql/pagination.js';
import type { CareAssignmentRow, HealthWorkerRow, TeamRow } from '../db/tables.js';
import { workersCovering } from '../db/worker.repository.js';
import { TEAM_KINDS, WORKER_ORIGINS, WORKER_ROLES, type TeamKind, type WorkerOrigin, type WorkerRole } from '../domain/workforce.js';
import { AlreadyAssigned, CaseloadFull, PatientNotAtHome, WorkerInactive, WorkerOutsideArea } from '../domain/errors.js';
import { assignCare, assignUnassigned, endCare, type AutoAssignResult } from '../commands/care.js';
import { assignArea, assignFacilityDuty, createTeam, registerHealthWorker, updateHealthWorker } from '../commands/workers.js';

export const WorkerRoleEnum = builder.enumType('WorkerRole', {
  description: 'Professional role of a health worker.',
  values: describedValues(WORKER_ROLES, {
    DOCTOR: 'Doctor (bác sĩ).',
    PHYSICIAN_ASSISTANT: 'Physician assistant (y sĩ).',
    NURSE: 'Nurse (điều dưỡng).',
    PHARMACIST: 'Pharmacist (dược sĩ).',
    TECHNICIAN: 'Laboratory or imaging technician.',
    SUPPORT: 'Support staff (logistics, data entry).',
  }),
});

export const WorkerOriginEnum = builder.enumType('WorkerOrigin', {
  description: 'Where a health worker comes from: the directives mobilised far beyond public staff.',
  values: describedValues(WORKER_ORIGINS, {
    PUBLIC_STAFF: 'Staff of the public health system.',
    PRIVATE_SECTOR: 'Mobilised from a private facility.',
    RETIRED: 'Retired doctor or nurse.',
    MEDICAL_STUDENT: 'Medical or nursing student.',
    VOLUNTEER: 'Volunteer.',
    REINFORCEMENT: 'Sent from another locality or the army.',
  }),
});

export const TeamKindEnum = builder.enumType('TeamKind', {
  description: 'Kinds of teams the city organised.',
  values: describedValues(TEAM_KINDS, {
    HOME_CARE_SUPPORT: 'Tổ hỗ trợ F0 tại nhà: home-care support team.',
    COMMUNITY_COVID: 'Tổ Covid cộng đồng: community COVID team.',
    MOBILE_STATION_CREW: 'Crew of a mobile health station.',
    COMPANION_DOCTOR: 'Thầy thuốc đồng hành: companion-doctor network.',
    HOME_VACCINATION: 'Team vaccinating the homebound at home.',
  }),
});

builder.objectType(CaseloadFull, {
  name: 'CaseloadFull',
  description: 'No eligible worker has room in their caseload (or the named worker is at the cap). Nothing was written.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    workerId: t.exposeID('workerId', { nullable: true, description: 'The worker asked for, if one was named.' }),
    wardCode: t.exposeID('wardCode', { description: "The patient's ward." }),
  }),
});
builder.objectType(WorkerInactive, {
  name: 'WorkerInactive',
  description: 'The worker is not active.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ workerId: t.exposeID('workerId', { description: 'The worker.' }) }),
});
builder.objectType(WorkerOutsideArea, {
  name: 'WorkerOutsideArea',
  description: "The worker does not cover the patient's ward (or is not a care role).",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    workerId: t.exposeID('workerId', { description: 'The worker.' }),
    wardCode: t.exposeID('wardCode', { description: "The patient's ward." }),
  }),
});
builder.objectType(PatientNotAtHome, {
  name: 'PatientNotAtHome',
  description: 'Care assignments are for home patients under treatment.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ patientId: t.exposeID('patientId', { description: 'The patient.' }) }),
});
builder.objectType(AlreadyAssigned, {
  name: 'AlreadyAssigned',
  description: 'The patient already has a care worker.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    patientId: t.exposeID('patientId', { description: 'The patient.' }),
    workerId: t.exposeID('workerId', { description: 'Their current care worker.' }),
  }),
});

export const HealthWorkerRef = builder.objectRef<HealthWorkerRow>('HealthWorker');
export const TeamRef = builder.objectRef<TeamRow>('Team');
export const PatientRef = builder.externalRef('Patient', builder.selection<{ id: string }>('id'));

const CareAssignmentRef = builder.objectRef<CareAssignmentRow>('CareAssignment').implement({
  description: 'A health worker following a home patient.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Assignment id.' }),
    patient: t.field({ type: PatientRef, description: 'The patient.', resolve: (a) => ({ id: a.patient_id }) }),
    worker: t.field({ type: HealthWorkerRef, description: 'The worker.', resolve: async (a, _args, ctx) => (await ctx.loaders.worker.load(a.worker_id))! }),
    assignedAt: t.field({ type: 'DateTime', description: 'When care began.', resolve: (a) => a.assigned_at }),
    endedAt: t.field({ type: 'DateTime', nullable: true, description: 'When it ended.', resolve: (a) => a.ended_at }),
    endReason: t.exposeString('end_reason', { nullable: true, description: 'Why it ended: RECOVERED, DECEASED, ADMITTED or ENDED_BY_STAFF.' }),
  }),
});

const workerVisible = (viewer: { role: string }, w: HealthWorkerRow, check: (ward: string) => boolean) =>
  viewer.role === 'DASHBOARD' || viewer.role === 'CITY_OFFICER' || (CLINICAL_ROLES.includes(viewer.role as never) && check(w.home_ward_code));

const seesWorker = (viewer: Viewer, w: HealthWorkerRow) =>
  workerVisible(viewer, w, (ward) => coversWard(viewer, ward) || viewer.role === 'DISTRICT_OFFICER' || viewer.role === 'WARD_OFFICER');

HealthWorkerRef.implement({
  description: 'A health worker: public staff or a reinforcement. Visible to dashboards and to health officers; names and phones to officers of the worker’s area.',
  authScopes: (w, ctx) => seesWorker(ctx.viewer, w),
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Worker id.' }),
    fullName: t.string({
      nullable: true,
      description: 'Full name. Personal data: health officers of the worker’s area; reads are audited.',
      authScopes: (w) => ({ personalData: w.home_ward_code }),
      resolve: (w, _args, ctx) => {
        ctx.audit('HealthWorker', w.id, 'fullName');
        return w.full_name;
      },
    }),
    phone: t.string({
      nullable: true,
      description: 'Mobile number. Personal data: health officers of the worker’s area; reads are audited.',
      authScopes: (w) => ({ personalData: w.home_ward_code }),
      resolve: (w, _args, ctx) => {
        ctx.audit('HealthWorker', w.id, 'phone');
        return w.phone;
      },
    }),
    role: t.field({ type: WorkerRoleEnum, description: 'Professional role.', resolve: (w) => w.role as WorkerRole }),
    origin: t.field({ type: WorkerOriginEnum, description: 'Public staff or which kind of reinforcement.', resolve: (w) => w.origin as WorkerOrigin }),
    homeWardCode: t.exposeID('home_ward_code', { description: 'Ward the worker is based in.' }),
    maxCaseload: t.exposeInt('max_caseload', { description: 'Most home patients the worker may follow at once.' }),
    caseload: t.exposeInt('caseload', { description: 'Home patients the worker follows now (never above maxCaseload).' }),
    active: t.exposeBoolean('active', { description: 'Currently working.' }),
    teams: t.field({ type: [TeamRef], description: 'Teams the worker belongs to.', resolve: (w, _args, ctx) => ctx.loaders.teamsOfWorker.load(w.id) }),
    patients: t.field({
      type: [CareAssignmentRef],
      nullable: true,
      description: 'Open care assignments. Health officers of the worker’s area.',
      authScopes: (w) => ({ personalData: w.home_ward_code }),
      resolve: (w, _args, ctx) => ctx.loaders.careOfWorker.load(w.id),
    }),
  }),
});

builder.asEntity(HealthWorkerRef, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: (ref, ctx) => ctx.loaders.worker.load(ref.id),
});

TeamRef.implement({
  description: 'A team: home-care support, community COVID team, mobile-station crew, companion doctors, home vaccination.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Team id.' }),
    name: t.exposeString('name', { description: 'Team name.' }),
    kind: t.field({ type: TeamKindEnum, description: 'Kind of team.', resolve: (x) => x.kind as TeamKind }),
    wardCode: t.exposeID('ward_code', { description: 'Ward the team serves.' }),
    lead: t.field({
      type: HealthWorkerRef,
      nullable: true,
      description: 'Team lead.',
      resolve: (x, _args, ctx) => (x.lead_worker_id ? ctx.loaders.worker.load(x.lead_worker_id) : null),
    }),
    members: t.field({ type: [HealthWorkerRef], description: 'Members.', resolve: (x, _args, ctx) => ctx.loaders.membersOfTeam.load(x.id) }),
  }),
});

PatientRef.implement({
  description: 'A confirmed COVID-19 case (F0), owned by the patients subgraph.',
  externalFields: (t) => ({ id: t.id({ description: 'Patient id.' }) }),
  fields: (t) => ({
    careWorker: t.field({
      type: HealthWorkerRef,
      nullable: true,
      description: 'The health worker following this patient at home; null when nobody is assigned.',
      authScopes: async (p, _args, ctx) => {
        const known = await ctx.loaders.knownPatient.load(p.id);
        return ctx.viewer.role === 'DASHBOARD' || ctx.viewer.role === 'CITY_OFFICER' || (!!known && maySeePersonalData(ctx.viewer, known.ward_code));
      },
      resolve: async (p, _args, ctx) => {
        const care = await ctx.loaders.careOfPatient.load(p.id);
        return care ? ctx.loaders.worker.load(care.worker_id) : null;
      },
    }),
  }),
});

builder.queryFields((t) => ({
  healthWorker: t.field({
    type: HealthWorkerRef,
    nullable: true,
    description: 'One health worker by id; null when unknown or not visible to you (the two are not told apart).',
    args: { id: t.arg.id({ required: true, description: 'Worker id.' }) },
    resolve: async (_root, args, ctx) => {
      const worker = await ctx.loaders.worker.load(String(args.id));
      return worker && seesWorker(ctx.viewer, worker) ? worker : null;
    },
  }),
  healthWorkers: t.connection(
    {
      type: HealthWorkerRef,
      description: 'Workers based in or assigned to a ward, by id. Dashboards and health officers (cursors carry worker ids).',
      authScopes: { liveFeeds: true },
      args: { wardCode: t.arg.id({ required: true, description: 'The ward.' }) },
      resolve: async (_root, args, ctx) => {
        const ward = findWard(String(args.wardCode));
        if (!ward) throw graphQLError('BAD_USER_INPUT', `No ward has code ${args.wardCode}`);
        const size = pageSize(args, 20);
        const after = decodeCursor(args.after, ['string']) as [string] | undefined;
        const rows = size === 0 ? [] : await workersCovering(ctx.db, [ward.code], after?.[0], size + 1);
        return toPage(rows, size, (w) => [w.id], !!after);
      },
    },
    { name: 'HealthWorkerConnection', description: 'A page of health workers.' },
    { name: 'HealthWorkerEdge', description: 'A health worker in a page.' },
  ),
  teams: t.field({
    type: [TeamRef],
    description: 'Teams serving a ward.',
    args: { wardCode: t.arg.id({ required: true, description: 'The ward.' }) },
    resolve: (_root, args, ctx) => ctx.loaders.teamsOfWard.load(String(args.wardCode)),
  }),
}));

const AssignCareInput = builder.inputType('AssignCareInput', {
  description: 'Give a home patient a care worker.',
  fields: (t) => ({
    patientId: t.id({ required: true, description: 'The patient (home, under treatment).' }),
    workerId: t.id({ required: false, description: "A specific worker; without it the least-loaded eligible worker of the patient's ward is chosen." }),
  }),
});

const AutoAssignResultRef = builder.objectRef<AutoAssignResult>('AutoAssignResult').implement({
  description: 'Outcome of assigning every unassigned home patient of a ward.',
  fields: (t) => ({
    wardCode: t.exposeID('wardCode', { description: 'The ward.' }),
    assigned: t.exposeInt('assigned', { description: 'Patients given a worker now.' }),
    stillUnassigned: t.exposeInt('stillUnassigned', { description: 'Patients left without one because every cap is reached.' }),
  }),
});

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
    facilityId: t.id({ required: true, description: 'The facility; must exist (checked with the facilities subgraph).' }),
    startsAt: t.field({ type: 'DateTime', required: true, description: 'Start of duty.' }),
    endsAt: t.field({ type: 'DateTime', required: false, description: 'End of duty; open-ended when absent.' }),
  }),
});

const CreateTeamInput = builder.inputType('CreateTeamInput', {
  description: 'A new team.',
  fields: (t) => ({
    name: t.string({ required: true, description: 'Name (2 to 100 characters).' }),
    kind: t.field({ type: TeamKindEnum, required: true, description: 'Kind.' }),
    wardCode: t.id({ required: true, description: 'Ward served.' }),
    leadWorkerId: t.id({ required: false, description: 'Lead: a worker based in your jurisdiction or working in the ward.' }),
    memberIds: t.idList({ required: true, description: 'Members (at most 200): workers based in your jurisdiction or working in the ward.' }),
  }),
});

builder.mutationFields((t) => ({
  assignCare: t.field({
    type: CareAssignmentRef,
    description: 'Assign a care worker to a home patient; the caseload cap is enforced in the same transaction.',
    authScopes: { clinical: true },
    errors: {
      types: [ValidationError, NotFoundError, CaseloadFull, WorkerInactive, WorkerOutsideArea, PatientNotAtHome, AlreadyAssigned],
      dataField: { name: 'assignment', description: 'The new assignment.' },
    },
    args: { input: t.arg({ type: AssignCareInput, required: true, description: 'Who and, optionally, by whom.' }) },
    resolve: (_root, { input }, ctx) =>
      assignCare(ctx.runtime, ctx.viewer, { patientId: String(input.patientId), workerId: input.workerId == null ? null : String(input.workerId) }),
  }),
  endCare: t.field({
    type: CareAssignmentRef,
    description: 'End a patient’s care assignment (it also ends by itself on recovery, death or admission).',
    authScopes: { clinical: true },
    errors: { types: [NotFoundError], dataField: { name: 'assignment', description: 'The ended assignment.' } },
    args: { patientId: t.arg.id({ required: true, description: 'The patient.' }) },
    resolve: (_root, args, ctx) => endCare(ctx.runtime, ctx.viewer, String(args.patientId)),
  }),
  assignUnassignedPatients: t.field({
    type: AutoAssignResultRef,
    description: 'Give every unassigned home patient of a ward the least-loaded eligible worker, until caps run out.',
    authScopes: { clinical: true },
    args: { wardCode: t.arg.id({ required: true, description: 'The ward.' }) },
    resolve: (_root, args, ctx) => assignUnassigned(ctx.runtime, ctx.viewer, String(args.wardCode)),
  }),
  registerHealthWorker: t.field({
    type: HealthWorkerRef,
    description: 'Register a health worker (staff or reinforcement).',
    authScopes: { clinical: true },
    errors: { types: [ValidationError], dataField: { name: 'worker', description: 'The worker.' } },
    args: { input: t.arg({ type: RegisterHealthWorkerInput, required: true, description: 'The worker.' }) },
    resolve: (_root, { input }, ctx) => registerHealthWorker(ctx.runtime, ctx.viewer, { ...input, homeWardCode: String(input.homeWardCode) }),
  }),
  updateHealthWorker: t.field({
    type: HealthWorkerRef,
    description: 'Change a worker’s caseload cap or mark them active or inactive.',
    authScopes: { clinical: true },
    errors: { types: [ValidationError, NotFoundError], dataField: { name: 'worker', description: 'The worker.' } },
    args: { input: t.arg({ type: UpdateHealthWorkerInput, required: true, description: 'The change.' }) },
    resolve: (_root, { input }, ctx) => updateHealthWorker(ctx.runtime, ctx.viewer, { ...input, workerId: String(input.workerId) }),
  }),
  assignArea: t.field({
    type: HealthWorkerRef,
    description: 'Assign a worker to a ward or residential group.',
    authScopes: { clinical: true },
    errors: { types: [ValidationError, NotFoundError], dataField: { name: 'worker', description: 'The worker.' } },
    args: { input: t.arg({ type: AssignAreaInput, required: true, description: 'The area.' }) },
    resolve: (_root, { input }, ctx) => assignArea(ctx.runtime, ctx.viewer, { ...input, workerId: String(input.workerId), wardCode: String(input.wardCode) }),
  }),
  assignFacilityDuty: t.field({
    type: HealthWorkerRef,
    description: 'Put a worker on duty at a facility (counts in Facility.staffOnDuty).',
    authScopes: { clinical: true },
    errors: { types: [ValidationError, NotFoundError], dataField: { name: 'worker', description: 'The worker.' } },
    args: { input: t.arg({ type: AssignFacilityDutyInput, required: true, description: 'The duty.' }) },
    resolve: (_root, { input }, ctx) =>
      assignFacilityDuty(ctx.runtime, ctx.viewer, { ...input, workerId: String(input.workerId), facilityId: String(input.facilityId) }, ctx.requestId),
  }),
  createTeam: t.field({
    type: TeamRef,
    description: 'Create a team with its members.',
    authScopes: { clinical: true },
    errors: { types: [ValidationError, NotFoundError], dataField: { name: 'team', description: 'The team.' } },
    args: { input: t.arg({ type: CreateTeamInput, required: true, description: 'The team.' }) },
    resolve: (_root, { input }, ctx) =>
      createTeam(ctx.runtime, ctx.viewer, {
        ...input,
        wardCode: String(input.wardCode),
        leadWorkerId: input.leadWorkerId == null ? null : String(input.leadWorkerId),
        memberIds: input.memberIds.map(String),
      }),
  }),
}));
