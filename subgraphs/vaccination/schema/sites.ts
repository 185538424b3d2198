/**
 * Mobile vaccination points and their sessions: the VaccinationPoint and VaccinationSession types,
 * their lists by ward or district, and the writes that set them up. Where and when to get
 * vaccinated is public: every viewer may read them, PARTNER included (a citizen app shows them);
 * they hold no personal data (doses given is a count).
 */
import { builder } from '../builder.js';
import { ConflictError, NotFoundError, ValidationError } from '../../common/domain/errors.js';
import { isUuid } from '../../common/domain/input-rules.js';
import { areaArgs } from '../../common/graphql/area-args.js';
import { readId } from '../../common/graphql/input-guard.js';
import { decodeCursor, pageSize, toPage } from '../../common/graphql/pagination.js';
import { pointsOfArea, sessionsOfArea } from '../db/site.repository.js';
import { createVaccinationPoint, scheduleVaccinationSession, setVaccinationPointActive } from '../commands/sites.js';
import { VaccineEnum } from './enums.js';
import { PointRef, SessionRef } from './refs.js';

PointRef.implement({
  description: 'A place where a mobile vaccination team sets up (a school yard, a cultural house, a market). Public.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Point id.' }),
    wardCode: t.exposeID('wardCode', { description: 'Ward of the point.' }),
    districtCode: t.exposeID('districtCode', { description: 'District of the point.' }),
    name: t.exposeString('name', { description: 'Name of the place.' }),
    address: t.exposeString('address', { description: 'Address of the place.' }),
    latitude: t.exposeFloat('latitude', { nullable: true, description: 'Latitude (WGS 84), when known.' }),
    longitude: t.exposeFloat('longitude', { nullable: true, description: 'Longitude (WGS 84), when known.' }),
    active: t.exposeBoolean('active', { description: 'Open for sessions; a closed point keeps its past sessions.' }),
  }),
});

SessionRef.implement({
  description: 'One opening of a mobile vaccination point: when, which vaccine, doses planned and given. Public.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Session id (recordDose’s sessionId).' }),
    point: t.field({ type: PointRef, description: 'Where.', resolve: async (s, _args, ctx) => (await ctx.loaders.point.load(s.pointId))! }), // a foreign key: always there
    startsAt: t.field({ type: 'DateTime', description: 'When it opens.', resolve: (s) => s.startsAt }),
    endsAt: t.field({ type: 'DateTime', description: 'When it closes.', resolve: (s) => s.endsAt }),
    vaccine: t.field({ type: VaccineEnum, description: 'The vaccine given.', resolve: (s) => s.vaccine }),
    plannedDoses: t.exposeInt('plannedDoses', { description: 'Doses planned.' }),
    dosesGiven: t.exposeInt('dosesGiven', { description: 'Doses recorded in this session so far (counted with each dose, in its transaction).' }),
  }),
});

const PointFilter = builder.inputType('VaccinationPointFilter', {
  description: 'Which points: of one ward, of one district, or of the whole city.',
  fields: (t) => ({
    wardCode: t.id({ required: false, description: 'Only this ward.' }),
    districtCode: t.id({ required: false, description: 'Only this district.' }),
    activeOnly: t.boolean({ required: false, description: 'Only points open for sessions (default true).' }),
  }),
});

const SessionFilter = builder.inputType('VaccinationSessionFilter', {
  description: 'Which sessions: of one ward, district or point (or the whole city), overlapping a period.',
  fields: (t) => ({
    wardCode: t.id({ required: false, description: 'Only this ward.' }),
    districtCode: t.id({ required: false, description: 'Only this district.' }),
    pointId: t.id({ required: false, description: 'Only this point.' }),
    from: t.field({ type: 'DateTime', required: false, description: 'Only sessions ending after this instant (default: now).' }),
    to: t.field({ type: 'DateTime', required: false, description: 'Only sessions starting before this instant.' }),
  }),
});

builder.queryFields((t) => ({
  vaccinationPoints: t.connection(
    {
      type: PointRef,
      description: 'Mobile vaccination points of a ward, a district or the city, by id. Public: every viewer.',
      args: { filter: t.arg({ type: PointFilter, required: false, description: 'Which points.' }) },
      resolve: async (_root, args, ctx) => {
        const area = areaArgs(args.filter ?? {});
        const size = pageSize(args, 20);
        const after = decodeCursor(args.after, ['uuid']) as [string] | undefined;
        const rows = size === 0 ? [] : await pointsOfArea(ctx.db, area, args.filter?.activeOnly ?? true, after?.[0], size + 1);
        return toPage(rows, size, (p) => [p.id], !!after);
      },
    },
    { name: 'VaccinationPointConnection', description: 'A page of vaccination points.' },
    { name: 'VaccinationPointEdge', description: 'A vaccination point in a page.' },
  ),
  vaccinationSessions: t.connection(
    {
      type: SessionRef,
      description: 'Sessions of mobile vaccination points, soonest first: still open or to come unless `from` says otherwise. Public: every viewer.',
      args: { filter: t.arg({ type: SessionFilter, required: false, description: 'Which sessions.' }) },
      resolve: async (_root, args, ctx) => {
        const filter = args.filter ?? {};
        const area = areaArgs(filter);
        const pointId = filter.pointId == null ? undefined : readId(filter.pointId, 'pointId');
        const size = pageSize(args, 20);
        const after = decodeCursor(args.after, ['timestamp', 'uuid']) as [string, string] | undefined;
        const rows =
          size === 0 || (pointId !== undefined && !isUuid(pointId))
            ? []
            : await sessionsOfArea(ctx.db, { ...area, pointId, from: filter.from ?? new Date(), to: filter.to }, after, size + 1);
        return toPage(rows, size, (s) => [s.startsAt.toISOString(), s.id], !!after);
      },
    },
    { name: 'VaccinationSessionConnection', description: 'A page of vaccination sessions.' },
    { name: 'VaccinationSessionEdge', description: 'A vaccination session in a page.' },
  ),
}));

const CreatePointInput = builder.inputType('CreateVaccinationPointInput', {
  description: 'A new mobile vaccination point.',
  fields: (t) => ({
    wardCode: t.id({ required: true, description: 'Ward of the point.' }),
    name: t.string({ required: true, description: 'Name of the place (2 to 100 characters).' }),
    address: t.string({ required: true, description: 'Address (3 to 300 characters).' }),
    latitude: t.float({ required: false, description: 'Latitude (WGS 84, inside Hanoi); with longitude or not at all.' }),
    longitude: t.float({ required: false, description: 'Longitude (WGS 84, inside Hanoi); with latitude or not at all.' }),
    idempotencyKey: t.string({
      required: false,
      description: 'Retries with the same key (8 to 128 characters) and the same input return what the first created; the same key with any other input is a ConflictError.',
    }),
  }),
});

const SetPointActiveInput = builder.inputType('SetVaccinationPointActiveInput', {
  description: 'Open or close a point for new sessions.',
  fields: (t) => ({
    pointId: t.id({ required: true, description: 'The point.' }),
    active: t.boolean({ required: true, description: 'Open (true) or closed (false).' }),
  }),
});

const ScheduleSessionInput = builder.inputType('ScheduleVaccinationSessionInput', {
  description: 'A session at an open point.',
  fields: (t) => ({
    pointId: t.id({ required: true, description: 'The point.' }),
    startsAt: t.field({ type: 'DateTime', required: true, description: 'When it opens.' }),
    endsAt: t.field({ type: 'DateTime', required: true, description: 'When it closes: after startsAt, at most 24 hours later.' }),
    vaccine: t.field({ type: VaccineEnum, required: true, description: 'The vaccine given.' }),
    plannedDoses: t.int({ required: true, description: 'Doses planned (1 to 5,000).' }),
    idempotencyKey: t.string({
      required: false,
      description: 'Retries with the same key (8 to 128 characters) and the same input return what the first created; the same key with any other input is a ConflictError.',
    }),
  }),
});

const writeDescription = 'Vaccination teams of the district and the district and city officers who supervise them; a point outside your jurisdiction is answered like an unknown id.';

builder.mutationFields((t) => ({
  createVaccinationPoint: t.field({
    type: PointRef,
    description: `Set up a mobile vaccination point in a ward. ${writeDescription}`,
    authScopes: { vaccinationWriters: true },
    errors: { types: [ValidationError, ConflictError], dataField: { name: 'point', description: 'The point.' } },
    args: { input: t.arg({ type: CreatePointInput, required: true, description: 'The point.' }) },
    resolve: (_root, { input }, ctx) => createVaccinationPoint(ctx.runtime, ctx.viewer, { ...input, wardCode: String(input.wardCode) }),
  }),
  setVaccinationPointActive: t.field({
    type: PointRef,
    description: `Open or close a point for new sessions. ${writeDescription}`,
    authScopes: { vaccinationWriters: true },
    errors: { types: [ValidationError, NotFoundError], dataField: { name: 'point', description: 'The point.' } },
    args: { input: t.arg({ type: SetPointActiveInput, required: true, description: 'The change.' }) },
    resolve: (_root, { input }, ctx) => setVaccinationPointActive(ctx.runtime, ctx.viewer, { ...input, pointId: String(input.pointId) }),
  }),
  scheduleVaccinationSession: t.field({
    type: SessionRef,
    description: `Schedule a session at an open point. ${writeDescription}`,
    authScopes: { vaccinationWriters: true },
    errors: { types: [ValidationError, NotFoundError, ConflictError], dataField: { name: 'session', description: 'The session.' } },
    args: { input: t.arg({ type: ScheduleSessionInput, required: true, description: 'The session.' }) },
    resolve: (_root, { input }, ctx) => scheduleVaccinationSession(ctx.runtime, ctx.viewer, { ...input, pointId: String(input.pointId) }),
  }),
}));
