import { builder } from '../builder.js';
import { CLINICAL_ROLES, coversWard } from '../../common/auth/viewer.js';
import { isUuid } from '../../common/domain/input-rules.js';
import { ConflictError, NotFoundError, ValidationError } from '../../common/domain/errors.js';
import { decodeCursor, pageSize, toPage, type Page } from '../../common/graphql/pagination.js';
import type { HelpRequest } from '../db/mappers.js';
import { helpRequestsByIds, searchHelpRequests } from '../db/care.repository.js';
import { acknowledgeHelpRequest, openHelpRequest, resolveHelpRequest } from '../commands/help.js';
import { InvalidHelpRequestState } from '../domain/errors.js';
import { HelpChannelEnum } from './enums.js';
import { WardRef } from './area-refs.js';
import { PatientRef, jurisdictionFilter } from './patient.js';

export const HelpRequestRef = builder.objectRef<HelpRequest>('HelpRequest');

HelpRequestRef.implement({
  description: 'A citizen asking for help (hotline 1022, Zalo, phone, walk-in). Health officers of the ward\'s jurisdiction only.',
  authScopes: (h, ctx) => CLINICAL_ROLES.includes(ctx.viewer.role) && coversWard(ctx.viewer, h.wardCode),
  fields: (t) => {
    /** Personal data of the caller: every read is audited. */
    const audited = (field: 'message' | 'callerPhone', description: string) =>
      t.string({
        nullable: true,
        description: `${description} Personal data; reads are audited.`,
        resolve: (h, _args, ctx) => {
          ctx.audit('HelpRequest', h.id, field);
          return h[field];
        },
      });
    return {
      id: t.exposeID('id', { description: 'Request id.' }),
      ward: t.field({ type: WardRef, description: 'Ward the request is for.', resolve: (h) => ({ code: h.wardCode }) }),
      channel: t.field({ type: HelpChannelEnum, description: 'How it came in.', resolve: (h) => h.channel }),
      message: audited('message', 'What the caller said.'),
      callerPhone: audited('callerPhone', 'Number to call back, +84 form.'),
      patient: t.field({
        type: PatientRef,
        nullable: true,
        description: 'The patient concerned, when known.',
        resolve: (h, _args, ctx) => (h.patientId ? ctx.loaders.patient.load(h.patientId) : null),
      }),
      openedAt: t.field({ type: 'DateTime', description: 'When the request came in.', resolve: (h) => h.openedAt }),
      acknowledgedAt: t.field({ type: 'DateTime', nullable: true, description: 'First response by a health worker.', resolve: (h) => h.acknowledgedAt }),
      resolvedAt: t.field({ type: 'DateTime', nullable: true, description: 'When it was resolved.', resolve: (h) => h.resolvedAt }),
      resolution: t.exposeString('resolution', { nullable: true, description: 'What was done.' }),
      firstResponseSeconds: t.float({
        nullable: true,
        description: 'Seconds from request to first response; null while unanswered.',
        resolve: (h) => (h.acknowledgedAt ? (h.acknowledgedAt.getTime() - h.openedAt.getTime()) / 1000 : null),
      }),
    };
  },
});

builder.objectFields(PatientRef, (t) => ({
  helpRequests: t.field({
    type: [HelpRequestRef],
    nullable: true,
    description: 'Help requests about this patient, newest first.',
    authScopes: (p) => ({ personalData: p.wardCode }),
    resolve: (p, _args, ctx) => ctx.loaders.helpRequestsOfPatient.load(p.id),
  }),
}));

builder.queryFields((t) => ({
  helpRequests: t.connection(
    {
      type: HelpRequestRef,
      description: 'Help requests in your jurisdiction, longest waiting first.',
      authScopes: { clinical: true },
      args: {
        wardCode: t.arg.id({ required: false, description: 'Only this ward.' }),
        districtCode: t.arg.id({ required: false, description: 'Only this district.' }),
        open: t.arg.boolean({ required: false, description: 'true: unresolved only; false: resolved only; absent: all.' }),
      },
      resolve: async (_root, args, ctx): Promise<Page<HelpRequest>> => {
        const size = pageSize(args, 20);
        const after = decodeCursor(args.after, ['timestamp', 'uuid']) as [string, string] | undefined;
        const filter = jurisdictionFilter(ctx.viewer, args.wardCode ? String(args.wardCode) : null, args.districtCode ? String(args.districtCode) : null);
        const rows = size === 0 ? [] : await searchHelpRequests(ctx.db, { ...filter, open: args.open }, after, size + 1);
        return toPage(rows, size, (h) => [h.openedAt.toISOString(), h.id], !!after);
      },
    },
    { name: 'HelpRequestConnection', description: 'A page of help requests.' },
    { name: 'HelpRequestEdge', description: 'A help request in a page.' },
  ),
  helpRequest: t.field({
    type: HelpRequestRef,
    nullable: true,
    description: 'One help request by id; null when unknown or outside your jurisdiction (the two are not told apart).',
    authScopes: { clinical: true },
    args: { id: t.arg.id({ required: true, description: 'Request id.' }) },
    resolve: async (_root, args, ctx) => {
      const id = String(args.id);
      const request = isUuid(id) ? (await helpRequestsByIds(ctx.db, [id]))[0] : undefined;
      return request && coversWard(ctx.viewer, request.wardCode) ? request : null;
    },
  }),
}));

const OpenHelpRequestInput = builder.inputType('OpenHelpRequestInput', {
  description: 'A citizen asking for help.',
  fields: (t) => ({
    wardCode: t.id({ required: true, description: 'Ward of the caller.' }),
    channel: t.field({ type: HelpChannelEnum, required: true, description: 'How it came in.' }),
    message: t.string({ required: true, description: 'What the caller needs (1 to 2000 characters).' }),
    patientId: t.id({ required: false, description: 'The patient concerned, when known: a patient of your jurisdiction.' }),
    callerPhone: t.string({ required: false, description: 'Number to call back.' }),
    idempotencyKey: t.string({
      required: false,
      description: 'Retries with the same key (8 to 128 characters) and the same input return the first result; the same key with any other input is a ConflictError.',
    }),
  }),
});

const ResolveHelpRequestInput = builder.inputType('ResolveHelpRequestInput', {
  description: 'Close a help request.',
  fields: (t) => ({
    id: t.id({ required: true, description: 'The request.' }),
    resolution: t.string({ required: true, description: 'What was done (1 to 2000 characters).' }),
  }),
});

builder.mutationFields((t) => ({
  openHelpRequest: t.field({
    type: HelpRequestRef,
    description: 'Record a request for help; it stays visible in the ward until answered.',
    authScopes: { clinical: true },
    errors: { types: [ValidationError, NotFoundError, ConflictError], dataField: { name: 'helpRequest', description: 'The request.' } },
    args: { input: t.arg({ type: OpenHelpRequestInput, required: true, description: 'The request.' }) },
    resolve: (_root, { input }, ctx) =>
      openHelpRequest(ctx.runtime, ctx.viewer, {
        ...input,
        wardCode: String(input.wardCode),
        patientId: input.patientId == null ? null : String(input.patientId),
      }),
  }),
  acknowledgeHelpRequest: t.field({
    type: HelpRequestRef,
    description: 'Record the first response to a request.',
    authScopes: { clinical: true },
    errors: { types: [NotFoundError, InvalidHelpRequestState], dataField: { name: 'helpRequest', description: 'The request.' } },
    args: { id: t.arg.id({ required: true, description: 'The request.' }) },
    resolve: (_root, args, ctx) => acknowledgeHelpRequest(ctx.runtime, ctx.viewer, String(args.id)),
  }),
  resolveHelpRequest: t.field({
    type: HelpRequestRef,
    description: 'Resolve a request (acknowledging it too when nobody had).',
    authScopes: { clinical: true },
    errors: { types: [ValidationError, NotFoundError, InvalidHelpRequestState], dataField: { name: 'helpRequest', description: 'The request.' } },
    args: { input: t.arg({ type: ResolveHelpRequestInput, required: true, description: 'The resolution.' }) },
    resolve: (_root, { input }, ctx) => resolveHelpRequest(ctx.runtime, ctx.viewer, { id: String(input.id), resolution: input.resolution }),
  }),
}));
