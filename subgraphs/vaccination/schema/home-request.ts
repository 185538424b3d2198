/**
 * Home vaccination: the HomeVaccinationRequest type, the open requests of a ward or district, and
 * requestHomeVaccination, assignHomeVaccination and cancelHomeVaccination. A request is about one
 * resident's health: vaccination teams and health officers of the resident's ward only, and reads
 * of its free text are audited.
 */
import { builder } from '../builder.js';
import { ConflictError, NotFoundError, ValidationError } from '../../common/domain/errors.js';
import { coversDistrict, coversWard } from '../../common/auth/viewer.js';
import { areaArgs } from '../../common/graphql/area-args.js';
import { graphQLError } from '../../common/graphql/errors.js';
import { cityDate } from '../../common/graphql/scalars.js';
import { decodeCursor, pageSize, toPage } from '../../common/graphql/pagination.js';
import { openHomeRequestsOfArea } from '../db/home-request.repository.js';
import type { HomeVaccinationRequest } from '../db/mappers.js';
import { assignHomeVaccination, cancelHomeVaccination, requestHomeVaccination } from '../commands/home-vaccination.js';
import { daysOpen } from '../domain/home-vaccination.js';
import { HomeRequestStatusEnum } from './enums.js';
import { HomeRequestRef, ResidentRef, maySeeResident } from './refs.js';

const TeamRef = builder.externalRef('Team', builder.selection<{ id: string }>('id')).implement({
  description: 'A team of health workers (owned by the workforce subgraph).',
  externalFields: (t) => ({ id: t.id({ description: 'Team id.' }) }),
});

const statusOf = (r: HomeVaccinationRequest) => (r.doneAt ? 'DONE' : r.cancelledAt ? 'CANCELLED' : r.teamId ? 'ASSIGNED' : 'WAITING');

HomeRequestRef.implement({
  description: 'A request for the home-vaccination team to vaccinate a homebound resident. Vaccination teams and health officers of the resident’s ward.',
  authScopes: (r, ctx) => maySeeResident(ctx.viewer, r.wardCode),
  fields: (t) => {
    const audited = (field: 'reason' | 'cancelReason', description: string, nullable: boolean) =>
      t.string({
        nullable,
        description: `${description} About the resident’s health; reads are audited.`,
        resolve: (r, _args, ctx) => {
          ctx.audit('HomeVaccinationRequest', r.id, field);
          return r[field] as string;
        },
      });
    return {
      id: t.exposeID('id', { description: 'Request id.' }),
      resident: t.field({ type: ResidentRef, nullable: true, description: 'The resident to vaccinate.', resolve: (r, _args, ctx) => ctx.loaders.resident.load(r.residentId) }),
      wardCode: t.exposeID('wardCode', { description: 'The resident’s ward.' }),
      requestedAt: t.field({ type: 'DateTime', description: 'When it was asked for.', resolve: (r) => r.requestedAt }),
      daysOpen: t.int({
        description: 'City calendar days since it was asked for, up to today (open) or to the day it closed.',
        resolve: (r, _args, ctx) => daysOpen(cityDate(r.requestedAt), r.doneAt ? cityDate(r.doneAt) : r.cancelledAt ? cityDate(r.cancelledAt) : ctx.today()),
      }),
      reason: audited('reason', 'Why at home.', false),
      scheduledFor: t.field({ type: 'Date', nullable: true, description: 'Planned day of the visit.', resolve: (r) => r.scheduledFor }),
      status: t.field({ type: HomeRequestStatusEnum, description: 'Where the request stands.', resolve: statusOf }),
      team: t.field({ type: TeamRef, nullable: true, description: 'The home-vaccination team it was given to.', resolve: (r) => (r.teamId ? { id: r.teamId } : null) }),
      assignedAt: t.field({ type: 'DateTime', nullable: true, description: 'When it was given to the team.', resolve: (r) => r.assignedAt }),
      doneAt: t.field({ type: 'DateTime', nullable: true, description: 'When the dose was given; null while waiting.', resolve: (r) => r.doneAt }),
      cancelledAt: t.field({ type: 'DateTime', nullable: true, description: 'When it was cancelled.', resolve: (r) => r.cancelledAt }),
      cancelReason: audited('cancelReason', 'Why it was cancelled.', true),
    };
  },
});

const OpenRequestsFilter = builder.inputType('HomeVaccinationRequestFilter', {
  description: 'Whose open requests: one ward or one district (exactly one of them).',
  fields: (t) => ({
    wardCode: t.id({ required: false, description: 'A ward.' }),
    districtCode: t.id({ required: false, description: 'A district.' }),
  }),
});

builder.queryFields((t) => ({
  openHomeVaccinationRequests: t.connection(
    {
      type: HomeRequestRef,
      description: 'Open home-vaccination requests (waiting or assigned) of a ward or district, longest waiting first. Vaccination teams and health officers of that area.',
      authScopes: { vaccinationReaders: true },
      args: { filter: t.arg({ type: OpenRequestsFilter, required: true, description: 'The area.' }) },
      resolve: async (_root, args, ctx) => {
        const area = areaArgs(args.filter);
        if (!area.wardCode === !area.districtCode) throw graphQLError('BAD_USER_INPUT', 'Give exactly one of wardCode and districtCode');
        if (area.wardCode ? !coversWard(ctx.viewer, area.wardCode) : !coversDistrict(ctx.viewer, area.districtCode!)) throw graphQLError('FORBIDDEN', 'Outside your jurisdiction');
        const size = pageSize(args, 20);
        const after = decodeCursor(args.after, ['timestamp', 'uuid']) as [string, string] | undefined;
        const rows = size === 0 ? [] : await openHomeRequestsOfArea(ctx.db, area, after, size + 1);
        return toPage(rows, size, (r) => [r.requestedAt.toISOString(), r.id], !!after);
      },
    },
    { name: 'HomeVaccinationRequestConnection', description: 'A page of home-vaccination requests.' },
    { name: 'HomeVaccinationRequestEdge', description: 'A home-vaccination request in a page.' },
  ),
}));

const RequestHomeVaccinationInput = builder.inputType('RequestHomeVaccinationInput', {
  description: 'Ask the home-vaccination team to come.',
  fields: (t) => ({
    nationalId: t.string({ required: true, description: 'Citizen ID of the homebound resident.' }),
    reason: t.string({ required: true, description: 'Why at home (3 to 500 characters).' }),
    scheduledFor: t.field({ type: 'Date', required: false, description: 'Planned day.' }),
  }),
});

const AssignHomeVaccinationInput = builder.inputType('AssignHomeVaccinationInput', {
  description: 'Give an open request to a home-vaccination team.',
  fields: (t) => ({
    requestId: t.id({ required: true, description: 'The request.' }),
    teamId: t.id({ required: true, description: 'A HOME_VACCINATION team (workforce) of the resident’s district, in your jurisdiction.' }),
  }),
});

const CancelHomeVaccinationInput = builder.inputType('CancelHomeVaccinationInput', {
  description: 'Cancel an open request.',
  fields: (t) => ({
    requestId: t.id({ required: true, description: 'The request.' }),
    reason: t.string({ required: true, description: 'Why (3 to 500 characters), e.g. moved away, vaccinated elsewhere, died.' }),
  }),
});

const outside = 'A request outside your jurisdiction is answered like an unknown id.';

builder.mutationFields((t) => ({
  requestHomeVaccination: t.field({
    type: HomeRequestRef,
    description: 'Ask the home-vaccination team to vaccinate a homebound elderly or comorbid resident (or reschedule the open request). The request closes when a dose is recorded for the resident.',
    authScopes: { vaccinationWriters: true },
    errors: { types: [ValidationError, NotFoundError], dataField: { name: 'request', description: 'The request.' } },
    args: { input: t.arg({ type: RequestHomeVaccinationInput, required: true, description: 'The request.' }) },
    resolve: (_root, { input }, ctx) => requestHomeVaccination(ctx.runtime, ctx.viewer, input),
  }),
  assignHomeVaccination: t.field({
    type: HomeRequestRef,
    description: `Give an open home-vaccination request to a team (or move it to another). The team is confirmed with workforce through the gateway before anything is written. ${outside}`,
    authScopes: { vaccinationWriters: true },
    errors: { types: [ValidationError, NotFoundError, ConflictError], dataField: { name: 'request', description: 'The request.' } },
    args: { input: t.arg({ type: AssignHomeVaccinationInput, required: true, description: 'The assignment.' }) },
    resolve: (_root, { input }, ctx) => assignHomeVaccination(ctx.runtime, ctx.viewer, { requestId: String(input.requestId), teamId: String(input.teamId) }, ctx.requestId),
  }),
  cancelHomeVaccination: t.field({
    type: HomeRequestRef,
    description: `Cancel an open home-vaccination request, with the reason. ${outside}`,
    authScopes: { vaccinationWriters: true },
    errors: { types: [ValidationError, NotFoundError, ConflictError], dataField: { name: 'request', description: 'The request.' } },
    args: { input: t.arg({ type: CancelHomeVaccinationInput, required: true, description: 'The cancellation.' }) },
    resolve: (_root, { input }, ctx) => cancelHomeVaccination(ctx.runtime, ctx.viewer, { ...input, requestId: String(input.requestId) }),
  }),
}));
