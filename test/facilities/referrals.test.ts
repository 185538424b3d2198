/**
 * Referrals between tiers, end to end through the gateway: a tier change upward opens one, a
 * clinician offers a facility that treats the new tier (others are refused with typed errors),
 * the facility accepts, the admission completes it with its timings, and subscribers in the
 * jurisdiction see every step in order while one outside sees none. Cancelling, the expiry
 * sweep, a tier change downward, a closed case and the dashboard's aggregates.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createFacilities, seedGeography, withDb } from '../support/builders.js';
import { startStack, type Stack } from '../support/stack.js';
import { gql, ok, subscribe, token, wsClient } from '../support/client.js';
import { ADMIT, registerPatient } from '../support/patients.js';
import { REFERRAL_EXPIRY } from '../../subgraphs/facilities/index.js';
import type { ReferralExpiryJob } from '../../subgraphs/facilities/commands/referrals.js';

const FIELDS = `id status trigger fromTier toTier open requestedAt offeredAt acceptedAt admittedAt closedAt closeReason minutesToAdmission bedKind
  facility { id } admission { id } patient { id }`;
const REFERRALS = `query R($id: ID!) { patient(id: $id) { referral { ${FIELDS} } referrals { ${FIELDS} } } }`;
const CHANGE_TIER = `mutation C($input: ChangeTierInput!) { changeTier(input: $input) { __typename
  ... on ChangeTierSuccess { patient { tierHistory { to at } } } ... on Error { code message } } }`;
const OFFER = `mutation O($input: OfferReferralInput!) { offerReferral(input: $input) { __typename
  ... on OfferReferralSuccess { referral { ${FIELDS} } }
  ... on TierNotServed { facilityId tier servedTiers } ... on BedKindNotOffered { facilityId bedKind }
  ... on InvalidReferralTransition { referralId status } ... on Error { code message } } }`;
const ACCEPT = `mutation A($id: ID!) { acceptReferral(referralId: $id) { __typename
  ... on AcceptReferralSuccess { referral { ${FIELDS} } } ... on InvalidReferralTransition { referralId status } ... on Error { code message } } }`;
const CANCEL = `mutation X($input: CancelReferralInput!) { cancelReferral(input: $input) { __typename
  ... on CancelReferralSuccess { referral { ${FIELDS} } } ... on InvalidReferralTransition { referralId status }
  ... on ValidationError { fields { path } } ... on Error { code message } } }`;
const LIVE = `subscription L($district: ID) { referralChanged(districtCode: $district) { id status toTier requestedAt admittedAt minutesToAdmission facility { id } patient { id } } }`;
const TIMES = `query T($ward: ID!, $district: ID!) {
  ward(code: $ward) { referralTimes { admitted p50Minutes p90Minutes } }
  district(code: $district) { referralTimes { admitted p50Minutes p90Minutes } } }`;
const OPEN = `query O($hours: Int!, $district: ID) { openReferrals(olderThanHours: $hours, districtCode: $district) {
  olderThanHours count oldestRequestedAt byStatus { status count } byWard { ward { code } count oldestRequestedAt } } }`;

describe('referrals between tiers', () => {
  let db: TestDatabase;
  let stack: Stack;
  let city: string;
  let ward: string;
  let otherWard: string;
  const as = async (who: string, query: string, variables: Record<string, unknown> = {}) => ok(await gql(stack.gateway.url, query, variables, { token: who }));
  const referralsOf = async (patientId: string) => {
    await stack.settle();
    return (await as(city, REFERRALS, { id: patientId })).patient;
  };
  const raise = async (patientId: string, to: string, who = city) => {
    const changed = (await as(who, CHANGE_TIER, { input: { patientId, to, reason: 'SpO2 95 %, thở nhanh' } })).changeTier;
    expect(changed.__typename).toBe('ChangeTierSuccess');
    return changed.patient.tierHistory.at(-1).at as string;
  };
  const referralEvents = () =>
    withDb<any, number>(db, 'facilities', async (k) => Number((await sql<{ n: number }>`select count(*)::int as n from outbox where topic = 'facilities.referral-changed'`.execute(k)).rows[0]!.n));

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedGeography(db);
    await createFacilities(db, [
      { id: 'TYT-337', wardCode: '00337', kind: 'HEALTH_STATION', level: 'WARD', servesTiers: ['TIER_1'], beds: { GENERAL: { total: 10 } } },
      { id: 'BV-OXY', wardCode: '00337', kind: 'HOSPITAL', servesTiers: ['TIER_2', 'TIER_3'], beds: { OXYGEN: { total: 10 }, ICU: { total: 2 } } },
      { id: 'CS-NO-OXY', wardCode: '00337', servesTiers: ['TIER_1', 'TIER_2'], beds: { GENERAL: { total: 10 } } },
      { id: 'CS-FULL', wardCode: '00337', servesTiers: ['TIER_2'], beds: { OXYGEN: { total: 2, occupied: 2 } } },
      { id: 'KCL', wardCode: '00337', kind: 'QUARANTINE_AREA', servesTiers: [], beds: { GENERAL: { total: 50 } } },
      { id: 'BV-001', wardCode: '00001', kind: 'HOSPITAL', level: 'CITY', servesTiers: ['TIER_2', 'TIER_3'], beds: { OXYGEN: { total: 10 } } },
    ]);
    stack = await startStack(db);
    city = await token('CITY_OFFICER');
    ward = await token('WARD_OFFICER', { ward: '00337' });
    otherWard = await token('WARD_OFFICER', { ward: '00001' });
  });
  afterAll(async () => {
    await stack.close();
    await db.drop();
  });

  it('goes requested → offered → accepted → admitted with its timings and its events, seen in the jurisdiction and not outside', async () => {
    const inside = wsClient(stack.gateway.url, { authorization: `Bearer ${ward}` });
    const outside = wsClient(stack.gateway.url, { authorization: `Bearer ${otherWard}` });
    const seen = subscribe(inside, LIVE, { district: '008' }, { servedBy: stack.subgraphs.facilities.runtime });
    const unseen = subscribe(outside, LIVE, {}, { servedBy: stack.subgraphs.facilities.runtime });
    try {
      await Promise.all([seen.ready, unseen.ready]);
      const patient = await registerPatient(stack.gateway.url, ward);
      const changedAt = await raise(patient.id, 'TIER_2', ward);

      const requested = (await referralsOf(patient.id)).referral;
      expect(requested).toMatchObject({ status: 'REQUESTED', trigger: 'TIER_CHANGE', fromTier: 'TIER_1', toTier: 'TIER_2', open: true, facility: null, admittedAt: null });
      expect(requested.requestedAt).toBe(changedAt);

      // Facilities that cannot take a tier-2 patient are refused with a typed error, and nothing is written.
      const before = await referralEvents();
      const offer = async (facilityId: string, who = ward) => (await as(who, OFFER, { input: { referralId: requested.id, facilityId } })).offerReferral;
      expect(await offer('TYT-337')).toMatchObject({ __typename: 'TierNotServed', code: 'TIER_NOT_SERVED', facilityId: 'TYT-337', tier: 'TIER_2', servedTiers: ['TIER_1'] });
      expect(await offer('KCL')).toMatchObject({ __typename: 'NotATreatmentFacility', code: 'NOT_A_TREATMENT_FACILITY' });
      expect(await offer('CS-NO-OXY')).toMatchObject({ __typename: 'BedKindNotOffered', facilityId: 'CS-NO-OXY', bedKind: 'OXYGEN' });
      expect(await offer('CS-FULL')).toMatchObject({ __typename: 'NoBedAvailable', code: 'NO_BED_AVAILABLE' });
      expect((await offer('NOPE')).__typename).toBe('NotFoundError');
      // A facility outside the ward officer's jurisdiction: the write touches its ward too.
      const foreign = await gql(stack.gateway.url, OFFER, { input: { referralId: requested.id, facilityId: 'BV-001' } }, { token: ward });
      expect(foreign.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
      expect(await referralEvents()).toBe(before);
      expect((await referralsOf(patient.id)).referral).toEqual(requested);

      const offered = await offer('BV-OXY');
      expect(offered).toMatchObject({ __typename: 'OfferReferralSuccess', referral: { status: 'OFFERED', facility: { id: 'BV-OXY' }, bedKind: 'OXYGEN' } });
      expect(offered.referral.offeredAt).not.toBeNull();
      const accepted = (await as(ward, ACCEPT, { id: requested.id })).acceptReferral;
      expect(accepted).toMatchObject({ __typename: 'AcceptReferralSuccess', referral: { status: 'ACCEPTED' } });

      const admitted = (await as(ward, ADMIT, { input: { patientId: patient.id, facilityId: 'BV-OXY', bedKind: 'OXYGEN' } })).admitPatient;
      expect(admitted.__typename).toBe('AdmitPatientSuccess');
      const after = await referralsOf(patient.id);
      expect(after.referral).toBeNull();
      const done = after.referrals[0];
      expect(done).toMatchObject({ id: requested.id, status: 'ADMITTED', open: false, facility: { id: 'BV-OXY' }, admission: { id: admitted.admission.id } });
      expect(Date.parse(done.admittedAt)).toBeGreaterThanOrEqual(Date.parse(done.acceptedAt));
      expect(Date.parse(done.acceptedAt)).toBeGreaterThanOrEqual(Date.parse(done.offeredAt));
      expect(Date.parse(done.offeredAt)).toBeGreaterThanOrEqual(Date.parse(done.requestedAt));
      expect(done.minutesToAdmission).toBeCloseTo((Date.parse(done.admittedAt) - Date.parse(done.requestedAt)) / 60_000, 3);

      const events = [];
      for (let i = 0; i < 4; i++) events.push((await seen.next(10_000)).data?.referralChanged);
      expect(events.map((e) => e?.status)).toEqual(['REQUESTED', 'OFFERED', 'ACCEPTED', 'ADMITTED']);
      expect(events.every((e) => e?.id === requested.id && e?.patient.id === patient.id)).toBe(true);
      expect(events[3]).toMatchObject({ facility: { id: 'BV-OXY' }, admittedAt: done.admittedAt, minutesToAdmission: done.minutesToAdmission });

      // The subscriber outside sees nothing of it: its first event is a referral of its own ward, opened afterwards.
      const neighbour = await registerPatient(stack.gateway.url, city, { wardCode: '00001' });
      await raise(neighbour.id, 'TIER_3');
      const first = await unseen.next(10_000);
      expect(first.data?.referralChanged).toMatchObject({ status: 'REQUESTED', toTier: 'TIER_3', patient: { id: neighbour.id } });
      expect(unseen.pending()).toEqual([]);

      // The ward's and the district's escalation → admission times: this one referral so far.
      const times = await as(await token('DASHBOARD'), TIMES, { ward: '00337', district: '008' });
      for (const area of [times.ward, times.district]) {
        expect(area.referralTimes.admitted).toBe(1);
        expect(area.referralTimes.p50Minutes).toBeCloseTo(done.minutesToAdmission, 3);
        expect(area.referralTimes.p90Minutes).toBeCloseTo(done.minutesToAdmission, 3);
      }
      const partner = await gql(stack.gateway.url, TIMES, { ward: '00337', district: '008' }, { token: await token('PARTNER') });
      expect(partner.data?.ward?.referralTimes ?? null).toBeNull();
      expect(partner.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    } finally {
      seen.close();
      unseen.close();
      await Promise.all([inside.dispose(), outside.dispose()]);
    }
  });

  it('is cancelled by a clinician of the jurisdiction with a reason; wrong steps are typed errors', async () => {
    const patient = await registerPatient(stack.gateway.url, city);
    await raise(patient.id, 'TIER_2');
    const { referral } = await referralsOf(patient.id);
    const accept = (await as(ward, ACCEPT, { id: referral.id })).acceptReferral;
    expect(accept).toMatchObject({ __typename: 'InvalidReferralTransition', code: 'INVALID_REFERRAL_TRANSITION', status: 'REQUESTED' });
    const cancel = (who: string, reason: string) => gql(stack.gateway.url, CANCEL, { input: { referralId: referral.id, reason } }, { token: who });
    expect((await cancel(otherWard, 'Gia đình xin điều trị tại nhà')).errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(ok(await cancel(ward, ' x ')).cancelReferral).toMatchObject({ __typename: 'ValidationError', fields: [{ path: ['input', 'reason'] }] });
    const client = wsClient(stack.gateway.url, { authorization: `Bearer ${ward}` });
    const live = subscribe(client, `subscription { referralChanged(wardCode: "00337") { id status closeReason } }`, {}, { servedBy: stack.subgraphs.facilities.runtime });
    await live.ready;
    const cancelled = ok(await cancel(ward, 'Gia đình xin điều trị tại nhà')).cancelReferral;
    expect(cancelled).toMatchObject({ __typename: 'CancelReferralSuccess', referral: { status: 'CANCELLED', open: false, closeReason: 'Gia đình xin điều trị tại nhà' } });
    try {
      await stack.settle();
      let event: { id: string; status: string; closeReason: string | null } | undefined;
      while (event?.id !== referral.id || event?.status !== 'CANCELLED') event = (await live.next(10_000)).data?.referralChanged;
      // The clinician's free text reaches the live feed from the referral itself, not from the event.
      expect(event?.closeReason).toBe('Gia đình xin điều trị tại nhà');
    } finally {
      live.close();
      await client.dispose();
    }
    const payloads = await withDb<any, Record<string, unknown>[]>(db, 'facilities', async (k) =>
      (await sql<{ payload: Record<string, unknown> }>`select payload from outbox where topic = 'facilities.referral-changed' and key = ${patient.id}`.execute(k)).rows.map((r) => r.payload),
    );
    expect(payloads.map((p) => p.status)).toContain('CANCELLED');
    expect(payloads.filter((p) => 'closeReason' in p)).toEqual([]);
    // Reading the reason is a read of personal data: audited.
    await stack.subgraphs.facilities.runtime.audit.flush();
    const audited = await withDb<any, { fields: string[] }[]>(db, 'facilities', async (k) =>
      (await sql<{ fields: string[] }>`select fields from audit_log where entity = 'Referral' and entity_id = ${referral.id} and role = 'WARD_OFFICER'`.execute(k)).rows,
    );
    expect(audited).toContainEqual({ fields: ['closeReason'] });
    expect(cancelled.referral.closedAt).not.toBeNull();
    expect(ok(await cancel(ward, 'Một lần nữa')).cancelReferral).toMatchObject({ __typename: 'InvalidReferralTransition', status: 'CANCELLED' });
    // The reason is clinical free text: a dashboard sees the referral but not why.
    const dashboard = await as(await token('DASHBOARD'), `query R($id: ID!) { referral(id: $id) { status closeReason } }`, { id: referral.id });
    expect(dashboard.referral).toEqual({ status: 'CANCELLED', closeReason: null });
    // A referral that does not exist and one outside the jurisdiction answer alike.
    const missing = await gql(stack.gateway.url, ACCEPT, { id: '3f2a0c7e-0000-4000-8000-000000000000' }, { token: otherWard });
    expect(missing.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    // And so do reads: null for a referral outside the jurisdiction, as for one that does not exist.
    const READ = `query R($id: ID!) { referral(id: $id) { id status } }`;
    const foreignRead = await gql(stack.gateway.url, READ, { id: referral.id }, { token: otherWard });
    const unknownRead = await gql(stack.gateway.url, READ, { id: '3f2a0c7e-0000-4000-8000-000000000000' }, { token: otherWard });
    expect(foreignRead).toEqual({ status: 200, data: { referral: null }, errors: undefined });
    expect(unknownRead).toEqual(foreignRead);
  });

  it('a tier change downward or a closed case cancels the open referral; a further rise raises it and withdraws the offer', async () => {
    const lowered = await registerPatient(stack.gateway.url, city);
    await raise(lowered.id, 'TIER_2');
    await raise(lowered.id, 'TIER_1');
    const afterLowering = await referralsOf(lowered.id);
    expect(afterLowering.referral).toBeNull();
    expect(afterLowering.referrals).toMatchObject([{ status: 'CANCELLED', closeReason: 'Tier lowered from TIER_2 to TIER_1' }]);

    const closed = await registerPatient(stack.gateway.url, city);
    await raise(closed.id, 'TIER_2');
    const close = await as(city, `mutation C($input: CloseCaseInput!) { closeCase(input: $input) { __typename } }`, { input: { patientId: closed.id, outcome: 'RECOVERED' } });
    expect(close.closeCase.__typename).toBe('CloseCaseSuccess');
    expect((await referralsOf(closed.id)).referrals).toMatchObject([{ status: 'CANCELLED', closeReason: 'Case closed: RECOVERED' }]);

    const worse = await registerPatient(stack.gateway.url, city);
    await raise(worse.id, 'TIER_2');
    const first = (await referralsOf(worse.id)).referral;
    expect((await as(city, OFFER, { input: { referralId: first.id, facilityId: 'BV-OXY' } })).offerReferral.__typename).toBe('OfferReferralSuccess');
    await raise(worse.id, 'TIER_3');
    const raised = await referralsOf(worse.id);
    expect(raised.referrals).toHaveLength(1);
    expect(raised.referral).toMatchObject({ id: first.id, status: 'REQUESTED', fromTier: 'TIER_1', toTier: 'TIER_3', facility: null, offeredAt: null, requestedAt: first.requestedAt });
    const cancelled = await as(city, CANCEL, { input: { referralId: first.id, reason: 'Chuyển thẳng lên tuyến trung ương' } });
    expect(cancelled.cancelReferral.__typename).toBe('CancelReferralSuccess');
  });

  it('a transfer into a facility that treats the new tier completes the referral of an admitted patient', async () => {
    const patient = await registerPatient(stack.gateway.url, city);
    const admitted = (await as(city, ADMIT, { input: { patientId: patient.id, facilityId: 'CS-NO-OXY', bedKind: 'GENERAL' } })).admitPatient;
    expect(admitted.__typename).toBe('AdmitPatientSuccess');
    await raise(patient.id, 'TIER_2');
    const { referral } = await referralsOf(patient.id);
    expect(referral).toMatchObject({ status: 'REQUESTED', toTier: 'TIER_2' });
    const moved = await as(city, `mutation T($input: TransferPatientInput!) { transferPatient(input: $input) { __typename
      ... on TransferPatientSuccess { transfer { to { id } } } ... on Error { code message } } }`, {
      input: { admissionId: admitted.admission.id, toFacilityId: 'BV-OXY', bedKind: 'OXYGEN' },
    });
    expect(moved.transferPatient.__typename).toBe('TransferPatientSuccess');
    const after = await referralsOf(patient.id);
    expect(after.referral).toBeNull();
    expect(after.referrals).toMatchObject([{ id: referral.id, status: 'ADMITTED', facility: { id: 'BV-OXY' }, bedKind: 'OXYGEN', admission: { id: moved.transferPatient.transfer.to.id } }]);
  });

  it('warning signs open a referral from the time of the check; the dashboard counts the old ones and the sweep expires them', async () => {
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
    const patient = await registerPatient(stack.gateway.url, city, { confirmedAt: hoursAgo(30) });
    const check = await as(city, `mutation D($input: RecordDailyCheckInput!) { recordDailyCheck(input: $input) { __typename ... on RecordDailyCheckSuccess { check { at needsEscalation } } } }`, {
      input: { patientId: patient.id, at: hoursAgo(5), spo2: 95 },
    });
    expect(check.recordDailyCheck.check.needsEscalation).toBe(true);
    const old = (await referralsOf(patient.id)).referral;
    expect(old).toMatchObject({ status: 'REQUESTED', trigger: 'WARNING_SIGN', fromTier: 'TIER_1', toTier: 'TIER_2' });
    expect(old.requestedAt).toBe(check.recordDailyCheck.check.at);

    // Two fresh ones: one accepted (waits for the admission, never expires), one only requested.
    const accepted = await registerPatient(stack.gateway.url, city);
    await raise(accepted.id, 'TIER_2');
    const acceptedRef = (await referralsOf(accepted.id)).referral;
    expect((await as(city, OFFER, { input: { referralId: acceptedRef.id, facilityId: 'BV-OXY' } })).offerReferral.__typename).toBe('OfferReferralSuccess');
    expect((await as(city, ACCEPT, { id: acceptedRef.id })).acceptReferral.__typename).toBe('AcceptReferralSuccess');
    const fresh = await registerPatient(stack.gateway.url, city);
    await raise(fresh.id, 'TIER_2');

    const dashboard = await token('DASHBOARD');
    const olderThan4 = (await as(dashboard, OPEN, { hours: 4, district: '008' })).openReferrals;
    expect(olderThan4).toMatchObject({ olderThanHours: 4, count: 1, oldestRequestedAt: old.requestedAt, byStatus: [{ status: 'REQUESTED', count: 1 }], byWard: [{ ward: { code: '00337' }, count: 1 }] });
    expect((await as(dashboard, OPEN, { hours: 6 })).openReferrals.count).toBe(0);
    const all = (await as(dashboard, OPEN, { hours: 0, district: '008' })).openReferrals;
    expect(all.byStatus).toEqual([
      { status: 'REQUESTED', count: 2 },
      { status: 'ACCEPTED', count: 1 },
    ]);
    // A ward officer elsewhere counts only its own ward, and may not ask for another district.
    expect((await as(otherWard, OPEN, { hours: 0 })).openReferrals.byWard.every((w: { ward: { code: string } }) => w.ward.code === '00001')).toBe(true);
    expect((await gql(stack.gateway.url, OPEN, { hours: 0, district: '008' }, { token: otherWard })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const sweeper = stack.subgraphs.facilities.runtime.service<ReferralExpiryJob>(REFERRAL_EXPIRY);
    expect(sweeper.limitHours).toBe(6);
    expect(await sweeper.sweep()).toBe(0);
    // As of two hours from now the five-hour-old request is past the six-hour limit; the fresh ones are not.
    expect(await sweeper.sweep(new Date(Date.now() + 2 * 3_600_000))).toBe(1);
    expect((await referralsOf(patient.id)).referrals).toMatchObject([{ id: old.id, status: 'EXPIRED', open: false }]);
    expect((await referralsOf(fresh.id)).referral).toMatchObject({ status: 'REQUESTED' });
    // Much later the requested ones expire too (this one and the first test's neighbour in ward
    // 00001); the accepted one still waits for its admission.
    expect(await sweeper.sweep(new Date(Date.now() + 24 * 3_600_000))).toBe(2);
    expect((await referralsOf(fresh.id)).referrals).toMatchObject([{ status: 'EXPIRED' }]);
    expect((await referralsOf(accepted.id)).referral).toMatchObject({ status: 'ACCEPTED' });
    const events = await withDb<any, string[]>(db, 'facilities', async (k) =>
      (await sql<{ s: string }>`select payload->>'status' as s from outbox where topic = 'facilities.referral-changed' and key = ${patient.id} order by position`.execute(k)).rows.map((r) => r.s),
    );
    expect(events).toEqual(['REQUESTED', 'EXPIRED']);
  });
});
