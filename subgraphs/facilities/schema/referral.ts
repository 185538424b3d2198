/**
 * Referrals between tiers: the Referral type, the patient's referrals, the clinician's steps,
 * the referralChanged subscription and the dashboard's aggregates.
 */
import { areaArgs } from '../../common/graphql/area-args.js';
import { builder, ErrorInterface } from '../builder.js';
import { coversWard, type Viewer } from '../../common/auth/viewer.js';
import { inGroup, listArea } from '../../common/auth/jurisdiction.js';
import { findWard } from '../../common/admin-units.js';
import { graphQLError } from '../../common/graphql/errors.js';
import { NotFoundError, ValidationError } from '../../common/domain/errors.js';
import { describedValues } from '../../common/graphql/enums.js';
import { TOPICS, type ReferralChangedPayload } from '../../common/events/catalog.js';
import type { EventEnvelope } from '../../common/events/types.js';
import type { Referral } from '../db/mappers.js';
import { isUuid } from '../../common/domain/input-rules.js';
import { openReferralCounts, type OpenReferralCount, type ReferralTimes } from '../db/referral.repository.js';
import { acceptReferral, cancelReferral, offerReferral } from '../commands/referrals.js';
import { referralFromEvent } from '../commands/referral-events.js';
import {
  BedKindNotForTier,
  BedKindNotOffered,
  FacilityNotAdmitting,
  InvalidReferralTransition,
  NoBedAvailable,
  NotATreatmentFacility,
  PatientNotUnderTreatment,
  TierNotServed,
} from '../domain/errors.js';
import { REFERRAL_STATUSES, REFERRAL_TRIGGERS, isOpen, minutesToAdmission, type ReferralStatus } from '../domain/referral.js';
import { BedKindEnum, TreatmentTierEnum } from './enums.js';
import { FacilityRef } from './facility.js';
import { AdmissionRef, PatientRef } from './admission.js';
import { DistrictRef, WardRef } from './area-refs.js';

export const ReferralStatusEnum = builder.enumType('ReferralStatus', {
  description: 'Where a referral between tiers stands.',
  values: describedValues(REFERRAL_STATUSES, {
    REQUESTED: 'The patient needs a bed of a higher tier; no facility offered yet.',
    OFFERED: 'A facility that treats the tier, with a free bed of the kind it needs, was offered.',
    ACCEPTED: 'The offered facility accepted the patient; waiting for the admission.',
    ADMITTED: 'The patient was admitted to a facility that treats the tier (ends the referral).',
    CANCELLED: 'Ended without admission: by a clinician with a reason, a tier change downward or the case closing.',
    EXPIRED: 'Ended without admission: requested or offered and left without progress past the time limit.',
  }),
});

const ReferralTriggerEnum = builder.enumType('ReferralTrigger', {
  description: 'What opened a referral.',
  values: describedValues(REFERRAL_TRIGGERS, {
    TIER_CHANGE: "A clinician raised the patient's tier.",
    WARNING_SIGN: 'A daily check found warning signs suggesting a higher tier.',
  }),
});

builder.objectType(InvalidReferralTransition, {
  name: 'InvalidReferralTransition',
  description: 'The referral is not in a status that allows this step (accepting one that was never offered, cancelling one already admitted). Nothing was written.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    referralId: t.exposeID('referralId', { description: 'The referral.' }),
    status: t.field({ type: ReferralStatusEnum, description: 'Its current status.', resolve: (e) => e.status }),
  }),
});

/** Dashboards and the city see every referral; clinicians those of their patients' wards and of the facilities offered in their jurisdiction. */
export function mayReadReferral(viewer: Viewer, r: Pick<Referral, 'wardCode' | 'facilityWardCode'>): boolean {
  if (inGroup(viewer, 'wholeCity')) return true;
  if (!inGroup(viewer, 'clinical')) return false;
  return [r.wardCode, r.facilityWardCode].some((ward) => !!ward && coversWard(viewer, ward));
}

export const ReferralRef = builder.objectRef<Referral>('Referral');

ReferralRef.implement({
  description:
    'A referral between tiers: a patient whose tier went up (or whose warning signs suggest it) waiting for a bed of the new tier, from the escalation to the admission. Visible to dashboards and to health officers whose jurisdiction includes the patient or the facility offered; never to partners.',
  authScopes: (r, ctx) => mayReadReferral(ctx.viewer, r),
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Referral id.' }),
    patient: t.field({ type: PatientRef, description: 'The patient referred.', resolve: (r) => ({ id: r.patientId }) }),
    trigger: t.field({ type: ReferralTriggerEnum, description: 'What opened it.', resolve: (r) => r.trigger }),
    fromTier: t.field({ type: TreatmentTierEnum, description: "The patient's tier before the escalation.", resolve: (r) => r.fromTier }),
    toTier: t.field({ type: TreatmentTierEnum, description: 'The tier the patient needs a bed for.', resolve: (r) => r.toTier }),
    status: t.field({ type: ReferralStatusEnum, description: 'Where it stands.', resolve: (r) => r.status }),
    open: t.boolean({ description: 'Still under way (requested, offered or accepted); a patient has at most one open referral.', resolve: (r) => isOpen(r.status) }),
    facility: t.field({
      type: FacilityRef,
      nullable: true,
      description: 'The facility offered (or, once admitted, the one that admitted the patient); null while requested.',
      resolve: async (r, _args, ctx) => (r.facilityId ? ((await ctx.loaders.facility.load(r.facilityId)) ?? null) : null),
    }),
    bedKind: t.field({ type: BedKindEnum, nullable: true, description: 'The kind of bed offered or taken; null while requested.', resolve: (r) => r.bedKind }),
    admission: t.field({
      type: AdmissionRef,
      nullable: true,
      description: 'The admission that completed the referral; null until admitted.',
      resolve: (r, _args, ctx) => (r.admissionId ? ctx.loaders.admission.load(r.admissionId) : null),
    }),
    requestedAt: t.field({ type: 'DateTime', description: 'When the escalation was recorded: the tier change, or the daily check with warning signs.', resolve: (r) => r.requestedAt }),
    offeredAt: t.field({ type: 'DateTime', nullable: true, description: 'When the current offer was made.', resolve: (r) => r.offeredAt }),
    acceptedAt: t.field({ type: 'DateTime', nullable: true, description: 'When the offered facility accepted.', resolve: (r) => r.acceptedAt }),
    admittedAt: t.field({ type: 'DateTime', nullable: true, description: 'When the patient was admitted.', resolve: (r) => r.admittedAt }),
    closedAt: t.field({ type: 'DateTime', nullable: true, description: 'When it was cancelled or expired.', resolve: (r) => r.closedAt }),
    minutesToAdmission: t.float({
      nullable: true,
      description: 'Minutes from the escalation (requestedAt) to the admission; null until admitted.',
      resolve: (r) => minutesToAdmission(r),
    }),
    closeReason: t.string({
      nullable: true,
      description:
        "Why it was cancelled or expired. A clinician's free text, so only for clinical roles whose jurisdiction covers the patient's ward (null for anyone else); every read is audited.",
      resolve: async (r, _args, ctx) => {
        if (!inGroup(ctx.viewer, 'clinical') || !coversWard(ctx.viewer, r.wardCode)) return null;
        // A referral from a subscription event comes without its reason: load it when it has one.
        const closed = r.status === 'CANCELLED' || r.status === 'EXPIRED';
        const reason = r.closeReason ?? (closed ? ((await ctx.loaders.referral.load(r.id))?.closeReason ?? null) : null);
        if (reason) ctx.audit('Referral', r.id, 'closeReason');
        return reason;
      },
    }),
  }),
});

builder.objectFields(PatientRef, (t) => ({
  referral: t.field({
    type: ReferralRef,
    nullable: true,
    description: 'The open referral between tiers; null when none is under way.',
    resolve: (p, _args, ctx) => ctx.loaders.openReferralOfPatient.load(p.id),
  }),
  referrals: t.field({
    type: [ReferralRef],
    description: 'Every referral between tiers of the patient, most recent first.',
    resolve: (p, _args, ctx) => ctx.loaders.referralsOfPatient.load(p.id),
  }),
}));


builder.queryFields((t) => ({
  referral: t.field({
    type: ReferralRef,
    nullable: true,
    description: 'One referral between tiers by id; null when unknown or outside your jurisdiction.',
    args: { id: t.arg.id({ required: true, description: 'Referral id.' }) },
    resolve: async (_root, args, ctx) => {
      const id = String(args.id);
      const r = isUuid(id) ? await ctx.loaders.referral.load(id) : undefined;
      // One outside the jurisdiction answers as one that does not exist.
      return r && mayReadReferral(ctx.viewer, r) ? r : null;
    },
  }),
}));

const OfferReferralInput = builder.inputType('OfferReferralInput', {
  description: 'Offer a referred patient a bed in a facility.',
  fields: (t) => ({
    referralId: t.id({ required: true, description: 'The open referral.' }),
    facilityId: t.id({
      required: true,
      description: "A facility that treats the referral's tier, is active and has a free bed of the kind the tier needs (bedFinder lists them).",
    }),
  }),
});

const CancelReferralInput = builder.inputType('CancelReferralInput', {
  description: 'End an open referral without an admission.',
  fields: (t) => ({
    referralId: t.id({ required: true, description: 'The open referral.' }),
    reason: t.string({ required: true, description: 'Why (3 to 500 characters).' }),
  }),
});

const placementErrors = [NotATreatmentFacility, TierNotServed, BedKindNotForTier];

builder.mutationFields((t) => ({
  offerReferral: t.field({
    type: ReferralRef,
    description:
      "Offer the referred patient a bed of the kind the referral's tier needs in a facility that treats that tier and has one free now; offering again replaces the earlier offer. The bed is not held until the admission. Needs jurisdiction over the patient's ward and the facility's ward (and the ward of a facility whose offer it replaces).",
    authScopes: { clinical: true },
    errors: {
      types: [ValidationError, NotFoundError, InvalidReferralTransition, PatientNotUnderTreatment, FacilityNotAdmitting, BedKindNotOffered, NoBedAvailable, ...placementErrors],
      dataField: { name: 'referral', description: 'The referral, now OFFERED.' },
    },
    args: { input: t.arg({ type: OfferReferralInput, required: true, description: 'Which referral, and which facility.' }) },
    resolve: (_root, { input }, ctx) => offerReferral(ctx.runtime, ctx.viewer, { referralId: String(input.referralId), facilityId: String(input.facilityId) }),
  }),
  acceptReferral: t.field({
    type: ReferralRef,
    description: "The offered facility accepts the patient; admitPatient into a facility that treats the tier then completes the referral. Needs jurisdiction over the patient's ward and the offered facility's ward.",
    authScopes: { clinical: true },
    errors: { types: [ValidationError, NotFoundError, InvalidReferralTransition], dataField: { name: 'referral', description: 'The referral, now ACCEPTED.' } },
    args: { referralId: t.arg.id({ required: true, description: 'The offered referral.' }) },
    resolve: (_root, args, ctx) => acceptReferral(ctx.runtime, ctx.viewer, { referralId: String(args.referralId) }),
  }),
  cancelReferral: t.field({
    type: ReferralRef,
    description: "End an open referral without an admission, saying why. Needs jurisdiction over the patient's ward and the ward of the facility offered, if any.",
    authScopes: { clinical: true },
    errors: { types: [ValidationError, NotFoundError, InvalidReferralTransition], dataField: { name: 'referral', description: 'The referral, now CANCELLED.' } },
    args: { input: t.arg({ type: CancelReferralInput, required: true, description: 'Which referral, and why.' }) },
    resolve: (_root, { input }, ctx) => cancelReferral(ctx.runtime, ctx.viewer, { referralId: String(input.referralId), reason: input.reason }),
  }),
}));

builder.subscriptionFields((t) => ({
  referralChanged: t.field({
    type: ReferralRef,
    description:
      "Every change of a referral between tiers (requested, offered, accepted, admitted, cancelled, expired), optionally for the patient's district or ward; as tierChanged, dashboards see all and clinical roles their jurisdiction (the patient's ward, or the ward of the facility offered).",
    authScopes: { liveFeeds: true },
    args: {
      districtCode: t.arg.id({ required: false, description: "Only referrals of patients of this district." }),
      wardCode: t.arg.id({ required: false, description: "Only referrals of patients of this ward." }),
    },
    subscribe: (_root, args, ctx) => {
      const wanted = areaArgs(args);
      return ctx.runtime.bus.subscribe<ReferralChangedPayload>(TOPICS.referralChanged, {
        onEach: ctx.renewLoaders,
        filter: (e) =>
          (!wanted.districtCode || e.districtCode === wanted.districtCode) &&
          (!wanted.wardCode || e.wardCode === wanted.wardCode) &&
          mayReadReferral(ctx.viewer, { wardCode: e.wardCode, facilityWardCode: e.facilityWardCode }),
      });
    },
    resolve: (event: EventEnvelope<ReferralChangedPayload>) => referralFromEvent(event.payload),
  }),
}));

// ---- The dashboard's aggregates: counts and times, no personal data.

const DAY = 86_400_000;
const MAX_PERIOD_DAYS = 366;

const ReferralTimesRef = builder.objectRef<ReferralTimes & { since: Date; until: Date }>('ReferralTimes').implement({
  description: 'How long patients of an area waited from the escalation (tier change or warning sign) to the admission, over the referrals admitted in a period.',
  fields: (t) => ({
    since: t.field({ type: 'DateTime', description: 'Start of the period (admissions at or after).', resolve: (r) => r.since }),
    until: t.field({ type: 'DateTime', description: 'End of the period (admissions before).', resolve: (r) => r.until }),
    admitted: t.exposeInt('admitted', { description: 'Referrals admitted in the period.' }),
    p50Minutes: t.float({ nullable: true, description: 'Median minutes from escalation to admission; null when none was admitted.', resolve: (r) => r.p50Minutes }),
    p90Minutes: t.float({ nullable: true, description: '90th percentile of minutes from escalation to admission; null when none was admitted.', resolve: (r) => r.p90Minutes }),
  }),
});

/** An area without admitted referrals in the period. */
const NO_REFERRALS: ReferralTimes = { admitted: 0, p50Minutes: null, p90Minutes: null };

function period(args: { since?: Date | null; until?: Date | null }): { since: Date; until: Date } {
  // The default end is the next whole minute, the same for every area of a request, so that
  // their times batch into one query (the loader is keyed by the period).
  const until = args.until ?? new Date(Math.ceil(Date.now() / 60_000) * 60_000);
  const since = args.since ?? new Date(until.getTime() - 7 * DAY);
  if (since >= until) throw graphQLError('BAD_USER_INPUT', 'since must be before until');
  if (until.getTime() - since.getTime() > MAX_PERIOD_DAYS * DAY) throw graphQLError('BAD_USER_INPUT', `The period may span at most ${MAX_PERIOD_DAYS} days`);
  return { since, until };
}

builder.objectFields(WardRef, (t) => ({
  referralTimes: t.field({
    type: ReferralTimesRef,
    nullable: true,
    description: "Escalation → admission times of the ward's patients (by the ward they lived in when referred), p50 and p90; dashboards and health officers.",
    authScopes: { liveFeeds: true },
    args: {
      since: t.arg({ type: 'DateTime', required: false, description: 'Start of the period; by default 7 days before until.' }),
      until: t.arg({ type: 'DateTime', required: false, description: 'End of the period; by default now, rounded up to the whole minute.' }),
    },
    resolve: async (w, args, ctx) => {
      const p = period(args);
      return { ...p, ...((await ctx.loaders.referralTimes('ward_code', p.since, p.until).load(w.code)) ?? NO_REFERRALS) };
    },
  }),
}));

builder.objectFields(DistrictRef, (t) => ({
  referralTimes: t.field({
    type: ReferralTimesRef,
    nullable: true,
    description: "Escalation → admission times of the district's patients (by the district they lived in when referred), p50 and p90; dashboards and health officers.",
    authScopes: { liveFeeds: true },
    args: {
      since: t.arg({ type: 'DateTime', required: false, description: 'Start of the period; by default 7 days before until.' }),
      until: t.arg({ type: 'DateTime', required: false, description: 'End of the period; by default now, rounded up to the whole minute.' }),
    },
    resolve: async (d, args, ctx) => {
      const p = period(args);
      return { ...p, ...((await ctx.loaders.referralTimes('district_code', p.since, p.until).load(d.code)) ?? NO_REFERRALS) };
    },
  }),
}));

interface OpenReferrals {
  olderThanHours: number;
  rows: OpenReferralCount[];
}

const StatusCountRef = builder.objectRef<{ status: ReferralStatus; count: number }>('ReferralStatusCount').implement({
  description: 'Open referrals in one status.',
  fields: (t) => ({
    status: t.field({ type: ReferralStatusEnum, description: 'The status.', resolve: (c) => c.status }),
    count: t.exposeInt('count', { description: 'Referrals in it.' }),
  }),
});

const WardOpenReferralsRef = builder.objectRef<{ wardCode: string; count: number; oldestRequestedAt: Date }>('WardOpenReferrals').implement({
  description: 'Open referrals of the patients of one ward.',
  fields: (t) => ({
    ward: t.field({ type: WardRef, description: 'The ward (where the patients lived when referred).', resolve: async (c, _args, ctx) => (await ctx.loaders.ward.load(c.wardCode))! }),
    count: t.exposeInt('count', { description: 'Open referrals.' }),
    oldestRequestedAt: t.field({ type: 'DateTime', description: 'The escalation of the one waiting longest.', resolve: (c) => c.oldestRequestedAt }),
  }),
});

const OpenReferralsRef = builder.objectRef<OpenReferrals>('OpenReferrals').implement({
  description: 'Referrals between tiers still open longer than a number of hours after their escalation: counts only, no personal data.',
  fields: (t) => ({
    olderThanHours: t.exposeInt('olderThanHours', { description: 'The age asked for, in hours since the escalation.' }),
    count: t.int({ description: 'Open referrals older than that.', resolve: (o) => o.rows.reduce((n, r) => n + r.count, 0) }),
    oldestRequestedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'The escalation of the one waiting longest; null when none.',
      resolve: (o) => (o.rows.length ? new Date(Math.min(...o.rows.map((r) => r.oldestRequestedAt.getTime()))) : null),
    }),
    byStatus: t.field({
      type: [StatusCountRef],
      description: 'Counts per status (requested, offered, accepted), statuses with none left out.',
      resolve: (o) => {
        const counts = new Map<ReferralStatus, number>();
        for (const r of o.rows) counts.set(r.status, (counts.get(r.status) ?? 0) + r.count);
        return REFERRAL_STATUSES.filter((s) => counts.has(s)).map((status) => ({ status, count: counts.get(status)! }));
      },
    }),
    byWard: t.field({
      type: [WardOpenReferralsRef],
      description: 'Counts per ward of the patients, by ward code; wards with none left out.',
      resolve: (o) => {
        const wards = new Map<string, { wardCode: string; count: number; oldestRequestedAt: Date }>();
        for (const r of o.rows) {
          const w = wards.get(r.wardCode);
          if (!w) wards.set(r.wardCode, { wardCode: r.wardCode, count: r.count, oldestRequestedAt: r.oldestRequestedAt });
          else {
            w.count += r.count;
            if (r.oldestRequestedAt < w.oldestRequestedAt) w.oldestRequestedAt = r.oldestRequestedAt;
          }
        }
        return [...wards.values()];
      },
    }),
  }),
});

builder.queryFields((t) => ({
  openReferrals: t.field({
    type: OpenReferralsRef,
    description:
      'Referrals between tiers still open more than `olderThanHours` after their escalation, for the dashboard: counts per status and per ward. Dashboards and the city see the whole city (or the district asked for), district and ward officers their own district or ward.',
    authScopes: { liveFeeds: true },
    args: {
      olderThanHours: t.arg.int({ required: true, description: 'Only referrals whose escalation is older than this many hours (0 to 720).' }),
      districtCode: t.arg.id({ required: false, description: 'Only patients of this district.' }),
    },
    resolve: async (_root, args, ctx) => {
      const hours = args.olderThanHours;
      if (!Number.isInteger(hours) || hours < 0 || hours > 720) throw graphQLError('BAD_USER_INPUT', 'olderThanHours must be between 0 and 720');
      const { districtCode } = areaArgs({ districtCode: args.districtCode });
      const scope = listArea(ctx.viewer, { districtCode });
      return { olderThanHours: hours, rows: await openReferralCounts(ctx.db, new Date(Date.now() - hours * 3_600_000), scope) };
    },
  }),
}));
