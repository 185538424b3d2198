import { builder } from '../builder.js';
import { CLINICAL_ROLES, coversWard } from '../../common/auth/viewer.js';
import { mayReadCase } from '../../common/auth/jurisdiction.js';
import { acknowledgeSeconds, closeSeconds, helpRequestState, type HelpRequestState } from '../domain/help-request.js';
import { isUuid } from '../../common/domain/input-rules.js';
import { ConflictError, NotFoundError, ValidationError } from '../../common/domain/errors.js';
import { decodeCursor, pageSize, toPage, type Page } from '../../common/graphql/pagination.js';
import type { HelpRequest } from '../db/mappers.js';
import { helpRequestsByIds, searchHelpRequests } from '../db/care.repository.js';
import { acknowledgeHelpRequest, openHelpRequest, resolveHelpRequest } from '../commands/help.js';
import { InvalidHelpRequestState } from '../domain/errors.js';
import { HelpChannelEnum, HelpNeedEnum, HelpRequestStateEnum } from './enums.js';
import { WardRef } from './area-refs.js';
import { PatientRef, jurisdictionFilter } from './patient.js';

export const HelpRequestRef = builder.objectRef<HelpRequest>('HelpRequest');

const HelpConsentRef = builder.objectRef<NonNullable<HelpRequest['consent']>>('HelpConsent').implement({
  description: 'A citizen\'s consent to share their request, as the partner app recorded it.',
  fields: (t) => ({
    text: t.exposeString('text', { description: 'The words the citizen agreed to.' }),
    version: t.exposeString('version', { description: 'Version of the consent text.' }),
    at: t.field({ type: 'DateTime', description: 'When the citizen agreed.', resolve: (c) => c.at }),
  }),
});

/** A help request without anything personal: what a partner, a dashboard or a live feed may see. */
export interface HelpReceipt {
  id: string;
  wardCode: string;
  districtCode: string;
  state: HelpRequestState;
  need: HelpRequest['need'];
  channel: HelpRequest['channel'];
  openedAt: Date;
  acknowledgedAt: Date | null;
  escalatedAt: Date | null;
  closedAt: Date | null;
}

export const toReceipt = (h: HelpRequest): HelpReceipt => ({
  id: h.id,
  wardCode: h.wardCode,
  districtCode: h.districtCode,
  state: helpRequestState(h),
  need: h.need,
  channel: h.channel,
  openedAt: h.openedAt,
  acknowledgedAt: h.acknowledgedAt,
  escalatedAt: h.escalatedAt,
  closedAt: h.resolvedAt,
});

export const HelpRequestReceiptRef = builder.objectRef<HelpReceipt>('HelpRequestReceipt').implement({
  description:
    'Where a help request stands, without any personal data (no name, phone or message): what the partner who opened it, dashboards and live feeds see.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Request id.' }),
    ward: t.field({ type: WardRef, description: 'Ward the request was routed to (its health station).', resolve: (r) => ({ code: r.wardCode }) }),
    districtCode: t.exposeID('districtCode', { description: 'District of the ward: where an unanswered request escalates.' }),
    status: t.field({ type: HelpRequestStateEnum, description: 'Where the request stands.', resolve: (r) => r.state }),
    need: t.field({ type: HelpNeedEnum, description: 'What the citizen needs most.', resolve: (r) => r.need }),
    channel: t.field({ type: HelpChannelEnum, description: 'How it came in.', resolve: (r) => r.channel }),
    openedAt: t.field({ type: 'DateTime', description: 'When the request came in.', resolve: (r) => r.openedAt }),
    acknowledgedAt: t.field({ type: 'DateTime', nullable: true, description: 'First answer by a health worker.', resolve: (r) => r.acknowledgedAt }),
    escalatedAt: t.field({ type: 'DateTime', nullable: true, description: 'When it escalated to the district, unanswered.', resolve: (r) => r.escalatedAt }),
    closedAt: t.field({ type: 'DateTime', nullable: true, description: 'When it was closed.', resolve: (r) => r.closedAt }),
    acknowledgeSeconds: t.float({
      nullable: true,
      description: 'Seconds from request to first answer; null while unanswered.',
      resolve: (r) => acknowledgeSeconds({ ...r, resolvedAt: r.closedAt }),
    }),
    closeSeconds: t.float({ nullable: true, description: 'Seconds from request to closing; null while open.', resolve: (r) => closeSeconds({ ...r, resolvedAt: r.closedAt }) }),
  }),
});

HelpRequestRef.implement({
  description: 'A citizen asking for help (hotline 1022, Zalo, phone, walk-in). Health officers of the ward\'s jurisdiction only.',
  authScopes: (h, ctx) => CLINICAL_ROLES.includes(ctx.viewer.role) && coversWard(ctx.viewer, h.wardCode),
  fields: (t) => {
    /** Personal data of the caller: every read is audited. */
    const audited = (field: 'message' | 'callerPhone' | 'citizenName' | 'resolution', description: string) =>
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
      citizenName: audited('citizenName', 'Name of the citizen asking, when given.'),
      status: t.field({ type: HelpRequestStateEnum, description: 'Where the request stands.', resolve: (h) => helpRequestState(h) }),
      need: t.field({ type: HelpNeedEnum, description: 'What the citizen needs most.', resolve: (h) => h.need }),
      openedByPartner: t.boolean({ description: 'Opened by a partner app on the citizen\'s behalf (not by a health officer).', resolve: (h) => h.openedByRole === 'PARTNER' }),
      consent: t.field({
        type: HelpConsentRef,
        nullable: true,
        description: 'The consent the citizen gave the partner who opened the request; null for requests recorded by health officers without one.',
        resolve: (h) => h.consent,
      }),
      escalatedAt: t.field({ type: 'DateTime', nullable: true, description: 'When the unanswered request escalated to the district.', resolve: (h) => h.escalatedAt }),
      closeSeconds: t.float({ nullable: true, description: 'Seconds from request to closing; null while open.', resolve: (h) => closeSeconds(h) }),
      patient: t.field({
        type: PatientRef,
        nullable: true,
        description: 'The patient concerned, when known.',
        resolve: (h, _args, ctx) => (h.patientId ? ctx.loaders.patient.load(h.patientId) : null),
      }),
      openedAt: t.field({ type: 'DateTime', description: 'When the request came in.', resolve: (h) => h.openedAt }),
      acknowledgedAt: t.field({ type: 'DateTime', nullable: true, description: 'First response by a health worker.', resolve: (h) => h.acknowledgedAt }),
      resolvedAt: t.field({ type: 'DateTime', nullable: true, description: 'When it was resolved.', resolve: (h) => h.resolvedAt }),
      resolution: audited('resolution', 'What was done.'),
      firstResponseSeconds: t.float({
        nullable: true,
        description: 'Seconds from request to first response; null while unanswered.',
        resolve: (h) => acknowledgeSeconds(h),
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
        states: t.arg({ type: [HelpRequestStateEnum], required: false, description: 'Only requests in these states (ESCALATED: what the district must answer).' }),
      },
      resolve: async (_root, args, ctx): Promise<Page<HelpRequest>> => {
        const size = pageSize(args, 20);
        const after = decodeCursor(args.after, ['timestamp', 'uuid']) as [string, string] | undefined;
        const filter = jurisdictionFilter(ctx.viewer, args.wardCode ? String(args.wardCode) : null, args.districtCode ? String(args.districtCode) : null);
        const rows = size === 0 ? [] : await searchHelpRequests(ctx.db, { ...filter, open: args.open, states: args.states }, after, size + 1);
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
  helpRequestStatus: t.field({
    type: HelpRequestReceiptRef,
    nullable: true,
    description:
      'Where one help request stands, without personal data: for the partner who opened it, dashboards, and clinical roles over its ward. Null when unknown or not yours (the two are not told apart).',
    args: { id: t.arg.id({ required: true, description: 'Request id, as requestHelp returned it.' }) },
    resolve: async (_root, args, ctx) => {
      const id = String(args.id);
      const request = isUuid(id) ? (await helpRequestsByIds(ctx.db, [id]))[0] : undefined;
      if (!request) return null;
      const mine = request.openedBy === ctx.viewer.subject;
      return mine || mayReadCase(ctx.viewer, request.wardCode) ? toReceipt(request) : null;
    },
  }),
}));

const HelpConsentInput = builder.inputType('HelpConsentInput', {
  description: 'The citizen\'s consent to have their request, name and phone passed to the ward health station.',
  fields: (t) => ({
    given: t.boolean({ required: true, description: 'The citizen agreed; false is refused.' }),
    text: t.string({ required: true, description: 'The words the citizen agreed to (1 to 2000 characters).' }),
    version: t.string({ required: true, description: 'Version of that text in the partner\'s app (1 to 32 characters).' }),
    at: t.field({ type: 'DateTime', required: true, description: 'When the citizen agreed.' }),
  }),
});

const RequestHelpInput = builder.inputType('RequestHelpInput', {
  description: 'A partner app asking for help on a citizen\'s behalf.',
  fields: (t) => ({
    wardCode: t.id({ required: true, description: 'Ward where the citizen is: the request goes to its health station.' }),
    citizenName: t.string({ required: true, description: 'Name of the citizen (1 to 100 characters).' }),
    phone: t.string({ required: true, description: 'Vietnamese mobile number to call the citizen back.' }),
    need: t.field({ type: HelpNeedEnum, required: true, description: 'What the citizen needs most.' }),
    message: t.string({ required: true, description: 'What the citizen needs, in their words (1 to 2000 characters).' }),
    channel: t.field({ type: HelpChannelEnum, required: false, description: 'How the citizen reached the partner; PARTNER_APP when absent (HOTLINE_1022 for the hotline).' }),
    consent: t.field({ type: HelpConsentInput, required: true, description: 'The citizen\'s consent; required.' }),
    idempotencyKey: t.string({
      required: true,
      description: 'Retries with the same key (8 to 128 characters) and the same input return the first receipt; the same key with any other input is a ConflictError.',
    }),
  }),
});

const OpenHelpRequestInput = builder.inputType('OpenHelpRequestInput', {
  description: 'A citizen asking for help.',
  fields: (t) => ({
    wardCode: t.id({ required: true, description: 'Ward of the caller.' }),
    channel: t.field({ type: HelpChannelEnum, required: true, description: 'How it came in.' }),
    message: t.string({ required: true, description: 'What the caller needs (1 to 2000 characters).' }),
    patientId: t.id({ required: false, description: 'The patient concerned, when known: a patient of your jurisdiction.' }),
    callerPhone: t.string({ required: false, description: 'Number to call back.' }),
    citizenName: t.string({ required: false, description: 'Name of the citizen asking (1 to 100 characters).' }),
    need: t.field({ type: HelpNeedEnum, required: false, description: 'What the citizen needs most; OTHER when absent.' }),
    consent: t.field({ type: HelpConsentInput, required: false, description: 'The citizen\'s consent, when recorded.' }),
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
  requestHelp: t.field({
    type: HelpRequestReceiptRef,
    description:
      'For partner apps (the 1022 hotline, citizen apps): open a help request for a citizen in a ward, with their consent. It is routed to the ward health station and escalates to the district when unanswered; read its progress with helpRequestStatus.',
    authScopes: { partners: true },
    errors: { types: [ValidationError, ConflictError], dataField: { name: 'receipt', description: 'Where the request stands.' } },
    args: { input: t.arg({ type: RequestHelpInput, required: true, description: 'The request.' }) },
    resolve: async (_root, { input }, ctx) =>
      toReceipt(
        await openHelpRequest(ctx.runtime, ctx.viewer, {
          wardCode: String(input.wardCode),
          channel: input.channel ?? 'PARTNER_APP',
          message: input.message,
          need: input.need,
          callerPhone: input.phone,
          citizenName: input.citizenName,
          consent: input.consent,
          idempotencyKey: input.idempotencyKey,
        }),
      ),
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
