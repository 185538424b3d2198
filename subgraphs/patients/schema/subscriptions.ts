import { builder } from '../builder.js';
import { areaArgs } from '../../common/graphql/area-args.js';
import { CLINICAL_ROLES, coversWard, type Viewer } from '../../common/auth/viewer.js';
import { TOPICS, type HelpRequestChangedPayload, type TierChangedPayload } from '../../common/events/catalog.js';
import type { EventEnvelope } from '../../common/events/types.js';
import type { EscalationPayload } from '../commands/checks.js';
import type { HelpRequestedPayload } from '../commands/help.js';
import { helpRequestsByIds } from '../db/care.repository.js';
import { TreatmentTierEnum, WarningSignEnum } from './enums.js';
import { PatientRef } from './patient.js';
import { clinicalText } from './personal-field.js';
import { mayReadCase } from '../../common/auth/jurisdiction.js';
import { HelpRequestReceiptRef, HelpRequestRef, type HelpReceipt } from './help.js';
import type { WarningSign } from '../domain/warning-signs.js';
import type { TreatmentTier } from '../../common/domain/enums.js';

/** Events a subscriber may see: the area asked for, within the viewer's own jurisdiction. */
export function visible(viewer: Viewer, wanted: { districtCode?: string; wardCode?: string }, seeAll: boolean) {
  return (e: { wardCode: string; districtCode: string }) =>
    (!wanted.districtCode || e.districtCode === wanted.districtCode) &&
    (!wanted.wardCode || e.wardCode === wanted.wardCode) &&
    (seeAll ? mayReadCase(viewer, e.wardCode) : CLINICAL_ROLES.includes(viewer.role) && coversWard(viewer, e.wardCode));
}

const TierChangeEventRef = builder.objectRef<TierChangedPayload>('TierChangeEvent').implement({
  description: 'A patient moved to another treatment tier.',
  fields: (t) => ({
    patient: t.field({
      type: PatientRef,
      description: 'The patient, as of now.',
      resolve: async (e, _args, ctx) => (await ctx.loaders.patient.load(e.patientId))!,
    }),
    from: t.field({ type: TreatmentTierEnum, description: 'Tier before.', resolve: (e) => e.from }),
    to: t.field({ type: TreatmentTierEnum, description: 'Tier after.', resolve: (e) => e.to }),
    reason: t.string({
      nullable: true,
      description:
        "Why, as recorded by the clinician. Clinical free text, so only for clinical roles whose jurisdiction covers the patient's ward (null for anyone else, dashboards included); reads are audited.",
      resolve: (e, _args, ctx) => clinicalText(ctx, { id: e.patientId, wardCode: e.wardCode }, 'tierChangeReason', e.reason),
    }),
    at: t.field({ type: 'DateTime', description: 'When.', resolve: (e) => new Date(e.at) }),
  }),
});

const EscalationEventRef = builder.objectRef<EscalationPayload>('EscalationEvent').implement({
  description: 'A daily check found warning signs: a doctor must see the patient now.',
  fields: (t) => ({
    patient: t.field({
      type: PatientRef,
      description: 'The patient.',
      resolve: async (e, _args, ctx) => (await ctx.loaders.patient.load(e.patientId))!,
    }),
    warningSigns: t.field({ type: [WarningSignEnum], description: 'Signs found.', resolve: (e) => e.warningSigns as WarningSign[] }),
    suggestedTier: t.field({ type: TreatmentTierEnum, description: 'Tier the findings suggest.', resolve: (e) => e.suggestedTier as TreatmentTier }),
    at: t.field({ type: 'DateTime', description: 'Time of the check.', resolve: (e) => new Date(e.at) }),
  }),
});

builder.subscriptionType({ description: 'Live changes over graphql-ws.' });

builder.subscriptionFields((t) => ({
  tierChanged: t.field({
    type: TierChangeEventRef,
    description: 'Tier changes, optionally for one district or ward; clinical roles see their jurisdiction only.',
    authScopes: { liveFeeds: true },
    args: {
      districtCode: t.arg.id({ required: false, description: 'Only this district.' }),
      wardCode: t.arg.id({ required: false, description: 'Only this ward.' }),
    },
    subscribe: (_root, args, ctx) =>
      ctx.runtime.bus.subscribe<TierChangedPayload>(TOPICS.tierChanged, { onEach: ctx.renewLoaders, filter: visible(ctx.viewer, areaArgs(args), true) }),
    resolve: (event: EventEnvelope<TierChangedPayload>) => event.payload,
  }),
  escalationRaised: t.field({
    type: EscalationEventRef,
    description: 'Daily checks with warning signs, optionally for one ward; clinical roles in their jurisdiction and dashboards.',
    authScopes: { liveFeeds: true },
    args: { wardCode: t.arg.id({ required: false, description: 'Only this ward.' }) },
    subscribe: (_root, args, ctx) =>
      ctx.runtime.bus.subscribe<EscalationPayload>(TOPICS.escalationRaised, { onEach: ctx.renewLoaders, filter: visible(ctx.viewer, areaArgs(args), true) }),
    resolve: (event: EventEnvelope<EscalationPayload>) => event.payload,
  }),
  helpRequested: t.field({
    type: HelpRequestRef,
    description: 'New help requests, optionally for one ward; health officers of the jurisdiction only.',
    authScopes: { clinical: true },
    args: { wardCode: t.arg.id({ required: false, description: 'Only this ward.' }) },
    subscribe: (_root, args, ctx) =>
      ctx.runtime.bus.subscribe<HelpRequestedPayload>(TOPICS.helpRequested, { onEach: ctx.renewLoaders, filter: visible(ctx.viewer, areaArgs(args), false) }),
    resolve: async (event: EventEnvelope<HelpRequestedPayload>, _args, ctx) => (await helpRequestsByIds(ctx.db, [event.payload.helpRequestId]))[0]!,
  }),
  helpRequestChanged: t.field({
    type: HelpRequestReceiptRef,
    description:
      'Every change of a help request (opened, escalated, acknowledged, closed), optionally for one district or ward, without personal data; dashboards see all and clinical roles their jurisdiction.',
    authScopes: { liveFeeds: true },
    args: {
      districtCode: t.arg.id({ required: false, description: 'Only this district.' }),
      wardCode: t.arg.id({ required: false, description: 'Only this ward.' }),
    },
    subscribe: (_root, args, ctx) =>
      ctx.runtime.bus.subscribe<HelpRequestChangedPayload>(TOPICS.helpRequestChanged, { filter: visible(ctx.viewer, areaArgs(args), true) }),
    resolve: (event: EventEnvelope<HelpRequestChangedPayload>): HelpReceipt => {
      const p = event.payload;
      const at = (iso: string | null) => (iso ? new Date(iso) : null);
      return {
        id: p.helpRequestId,
        wardCode: p.wardCode,
        districtCode: p.districtCode,
        state: p.state,
        need: p.need as HelpReceipt['need'],
        channel: p.channel as HelpReceipt['channel'],
        openedAt: new Date(p.openedAt),
        acknowledgedAt: at(p.acknowledgedAt),
        escalatedAt: at(p.escalatedAt),
        closedAt: at(p.closedAt),
      };
    },
  }),
}));
