import { CompiledQuery, sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { BedKind, DischargeOutcome, PatientStatus, TreatmentTier } from '../../common/domain/enums.js';
import { OPEN_REFERRAL_STATUSES } from '../domain/referral.js';
import { FACILITY_JSON, fromFacilityJson, type FacilityJson } from './facility.repository.js';
import { toAdmission, toBeds, type Admission, type Beds, type Facility } from './mappers.js';
import type { AdmissionRow, FacilitiesDB, KnownPatientRow } from './tables.js';

/**
 * Takes one bed if one is free, in a single conditional UPDATE: concurrent admissions queue on
 * the bed row and each sees the count left by the one before, so `occupied` can never pass the
 * COVID-designated beds. Returns the counts after the change, or undefined when none was free.
 */
export async function takeBed(trx: Transaction<FacilitiesDB>, facilityId: string, kind: BedKind): Promise<Beds | undefined> {
  const row = await trx
    .updateTable('bed')
    .set({ occupied: sql`occupied + 1`, updated_at: sql`now()` })
    .where('facility_id', '=', facilityId)
    .where('kind', '=', kind)
    .whereRef('occupied', '<', 'covid_designated')
    .returningAll()
    .executeTakeFirst();
  return row && toBeds(row);
}

/** What an admission locks and checks first, in one statement (see `lockForAdmission`). */
export interface AdmissionLocks {
  /** The projected patient, share-locked; undefined when facilities does not know the patient. */
  patient: KnownPatientRow | undefined;
  /** The facility now, share-locked; null if no facility has the id (or the patient is unknown). */
  facility: Facility | null;
  /** The patient's active admission, if any. */
  activeAdmissionId: string | null;
  /** The value of the `current` condition (true when none was given). */
  current: boolean;
}

/**
 * The first statement of an admission: the projected patient share-locked, then the facility
 * share-locked (a stand-down waits for us, and we for it) and read whole, and the patient's active
 * admission, in one round trip; the lock order is the same as in every write (patient, then
 * facility: the facility's sub-select refers to the patient's row, so it runs for that row, once
 * it is locked).
 *
 * `current`, an SQL condition, is answered by the same statement: whether the patients
 * projection has applied the patient's events (DurableConsumer.caughtUpFor). The check, the
 * patient and the facility were each a read before the transaction; under contention every round
 * trip is what admissions queue for. A row comes back whether or not the patient is known, since
 * an unknown patient may be one whose registration the projection has not applied yet.
 */
export async function lockForAdmission(
  trx: Transaction<FacilitiesDB>,
  patientId: string,
  facilityId: string,
  current: RawBuilder<boolean> = sql<boolean>`true`,
): Promise<AdmissionLocks> {
  const { rows } = await sql<
    Partial<KnownPatientRow> & { facility: FacilityJson | null; active_admission_id: string | null; projection_current: boolean }
  >`
    with p as (select * from known_patient where id = ${patientId} for share)
    select p.*,
           (select ${sql.raw(FACILITY_JSON)} from facility f where f.id = ${facilityId} and p.id is not null for share) as facility,
           (select a.id from admission a where a.patient_id = p.id and a.discharged_at is null limit 1) as active_admission_id,
           ${current} as projection_current
      from (select 1) one left join p on true`.execute(trx);
  const { facility, active_admission_id, projection_current, ...patient } = rows[0]!;
  return {
    patient: patient.id == null ? undefined : (patient as KnownPatientRow),
    facility: facility && fromFacilityJson(facility),
    activeAdmissionId: active_admission_id,
    current: projection_current,
  };
}

/**
 * Records the admission and takes one bed if one is free (the conditional update of `takeBed`),
 * in one statement. The bed update waits for the insert (its condition reads the inserted row), so, as in two statements, a
 * concurrent admission of the same patient or with the same idempotency key waits on the unique
 * index before this one queues for the bed row. `beds` is undefined when none was free: the
 * caller throws and the admission rolls back with everything else.
 *
 * `bedKindOffered` says whether the facility has beds of the kind at all, so that a refusal can
 * tell NoBedAvailable from BedKindNotOffered without another round trip.
 *
 * `openReferral` says whether the patient has an open referral, read by this statement: after
 * the patient's lock was granted (a statement's snapshot is taken when it starts), so a referral
 * committed together with the patient change the lock waited for is seen. The referral is locked
 * and completed only if so.
 */
export async function insertAdmissionTakingBed(
  trx: Transaction<FacilitiesDB>,
  values: { patientId: string; facilityId: string; bedKind: BedKind; idempotencyKey: string | null; recordedBy: string; bedKindOverrideReason: string | null },
): Promise<{ admission: Admission; beds: Beds | undefined; bedKindOffered: boolean; openReferral: boolean }> {
  const { rows } = await sql<
    AdmissionRow & {
      bed_total: number | null;
      bed_covid_designated: number | null;
      bed_occupied: number | null;
      bed_updated_at: Date | null;
      bed_kind_offered: boolean;
      open_referral: boolean;
    }
  >`
    with a as (
      insert into admission (patient_id, facility_id, bed_kind, idempotency_key, recorded_by, bed_kind_override_reason)
      values (${values.patientId}, ${values.facilityId}, ${values.bedKind}, ${values.idempotencyKey}, ${values.recordedBy}, ${values.bedKindOverrideReason})
      returning *
    ), b as (
      update bed set occupied = occupied + 1, updated_at = now()
       where facility_id = ${values.facilityId} and kind = ${values.bedKind} and occupied < covid_designated
         and exists (select 1 from a)
      returning *
    )
    select a.*, b.total as bed_total, b.covid_designated as bed_covid_designated, b.occupied as bed_occupied, b.updated_at as bed_updated_at,
           b.total is not null or exists (select 1 from bed where facility_id = ${values.facilityId} and kind = ${values.bedKind}) as bed_kind_offered,
           exists (select 1 from referral r where r.patient_id = a.patient_id and r.status in (${sql.join(OPEN_REFERRAL_STATUSES)})) as open_referral
      from a left join b on true`.execute(trx);
  const { bed_total, bed_covid_designated, bed_occupied, bed_updated_at, bed_kind_offered, open_referral, ...admission } = rows[0]!;
  const beds =
    bed_total === null
      ? undefined
      : toBeds({ facility_id: values.facilityId, kind: values.bedKind, total: bed_total, covid_designated: bed_covid_designated!, occupied: bed_occupied!, updated_at: bed_updated_at! });
  return { admission: toAdmission(admission), beds, bedKindOffered: bed_kind_offered, openReferral: open_referral };
}

export async function releaseBed(trx: Transaction<FacilitiesDB>, facilityId: string, kind: BedKind): Promise<Beds> {
  const row = await trx
    .updateTable('bed')
    .set({ occupied: sql`occupied - 1`, updated_at: sql`now()` })
    .where('facility_id', '=', facilityId)
    .where('kind', '=', kind)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toBeds(row);
}

export async function findBeds(db: Kysely<FacilitiesDB>, facilityId: string, kind: BedKind): Promise<Beds | undefined> {
  const row = await db.selectFrom('bed').selectAll().where('facility_id', '=', facilityId).where('kind', '=', kind).executeTakeFirst();
  return row && toBeds(row);
}

export async function lockBeds(trx: Transaction<FacilitiesDB>, facilityId: string, kind: BedKind): Promise<Beds | undefined> {
  const row = await trx
    .selectFrom('bed')
    .selectAll()
    .where('facility_id', '=', facilityId)
    .where('kind', '=', kind)
    .forUpdate()
    .executeTakeFirst();
  return row && toBeds(row);
}

export async function upsertBedCapacity(
  trx: Transaction<FacilitiesDB>,
  facilityId: string,
  kind: BedKind,
  total: number,
  covidDesignated: number,
): Promise<Beds> {
  const row = await trx
    .insertInto('bed')
    .values({ facility_id: facilityId, kind, total, covid_designated: covidDesignated })
    .onConflict((oc) => oc.columns(['facility_id', 'kind']).doUpdateSet({ total, covid_designated: covidDesignated, updated_at: sql`now()` }))
    .returningAll()
    .executeTakeFirstOrThrow();
  return toBeds(row);
}

export async function insertAdmission(
  trx: Transaction<FacilitiesDB>,
  values: {
    patientId: string;
    facilityId: string;
    bedKind: BedKind;
    idempotencyKey: string | null;
    recordedBy: string;
    transferredFrom?: string;
    bedKindOverrideReason?: string | null;
  },
): Promise<Admission> {
  const row = await trx
    .insertInto('admission')
    .values({
      patient_id: values.patientId,
      facility_id: values.facilityId,
      bed_kind: values.bedKind,
      idempotency_key: values.idempotencyKey,
      recorded_by: values.recordedBy,
      discharged_at: null,
      outcome: null,
      transferred_to: null,
      transferred_from: values.transferredFrom ?? null,
      bed_kind_override_reason: values.bedKindOverrideReason ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toAdmission(row);
}

export async function endAdmission(trx: Transaction<FacilitiesDB>, id: string, outcome: DischargeOutcome): Promise<Admission> {
  const row = await trx
    .updateTable('admission')
    .set({ discharged_at: sql`now()`, outcome })
    .where('id', '=', id)
    .where('discharged_at', 'is', null)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toAdmission(row);
}

export async function linkTransfer(trx: Transaction<FacilitiesDB>, fromId: string, toId: string): Promise<Admission> {
  const row = await trx.updateTable('admission').set({ transferred_to: toId }).where('id', '=', fromId).returningAll().executeTakeFirstOrThrow();
  return toAdmission(row);
}

export async function lockAdmission(trx: Transaction<FacilitiesDB>, id: string): Promise<Admission | undefined> {
  const row = await trx.selectFrom('admission').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row && toAdmission(row);
}

export async function admissionByIdempotencyKey(db: Kysely<FacilitiesDB>, key: string): Promise<Admission | undefined> {
  const row = await db.selectFrom('admission').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
  return row && toAdmission(row);
}

export async function admissionById(db: Kysely<FacilitiesDB>, id: string): Promise<Admission | undefined> {
  const row = await db.selectFrom('admission').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toAdmission(row);
}

/** The active admission of a patient, locked: a case being closed and a discharge queue on it. */
export async function lockActiveAdmissionOf(trx: Transaction<FacilitiesDB>, patientId: string): Promise<Admission | undefined> {
  const row = await trx.selectFrom('admission').selectAll().where('patient_id', '=', patientId).where('discharged_at', 'is', null).forUpdate().executeTakeFirst();
  return row && toAdmission(row);
}

/**
 * The patient's last admission, if a discharge ended it as recovered or deceased with another
 * outcome than `status`, takes `status` (see case-closed.ts). One statement: the update locks
 * the row it changes.
 */
export async function alignClosingOutcome(trx: Transaction<FacilitiesDB>, patientId: string, status: 'RECOVERED' | 'DECEASED'): Promise<void> {
  await trx
    .updateTable('admission')
    .set({ outcome: status })
    .where('id', '=', (eb) => eb.selectFrom('admission').select('id').where('patient_id', '=', patientId).orderBy('admitted_at', 'desc').orderBy('id', 'desc').limit(1))
    .where('outcome', 'in', ['RECOVERED', 'DECEASED'])
    .where('outcome', '<>', status)
    .execute();
}

export async function activeAdmissionOf(db: Kysely<FacilitiesDB>, patientId: string): Promise<Admission | undefined> {
  const row = await db.selectFrom('admission').selectAll().where('patient_id', '=', patientId).where('discharged_at', 'is', null).executeTakeFirst();
  return row && toAdmission(row);
}

export async function admissionsByIds(db: Kysely<FacilitiesDB>, ids: readonly string[]): Promise<Admission[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('admission').selectAll().where('id', 'in', ids).execute();
  return rows.map(toAdmission);
}

export async function admissionsByPatients(db: Kysely<FacilitiesDB>, patientIds: readonly string[], onlyActive: boolean): Promise<Admission[]> {
  if (patientIds.length === 0) return [];
  let query = db.selectFrom('admission').selectAll().where('patient_id', 'in', patientIds);
  if (onlyActive) query = query.where('discharged_at', 'is', null);
  const rows = await query.orderBy('admitted_at', 'desc').execute();
  return rows.map(toAdmission);
}

// ── The patients projection (from the patients subgraph's events) ──────────────────────

export async function knownPatientsByIds(db: Kysely<FacilitiesDB>, ids: readonly string[]): Promise<KnownPatientRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('known_patient').selectAll().where('id', 'in', ids).execute();
}

/**
 * The projected patient, share-locked for the rest of the transaction: the projection's update
 * (a case closed in the patients subgraph) waits for an admission in flight, and an admission
 * waits for a close being applied, so the two can never pass each other.
 */
export async function lockKnownPatient(trx: Transaction<FacilitiesDB>, id: string): Promise<KnownPatientRow | undefined> {
  return trx.selectFrom('known_patient').selectAll().where('id', '=', id).forShare().executeTakeFirst();
}

/**
 * The case closed here (a discharge as recovered or deceased), before the patients subgraph's
 * event says so: from `at`, older patient events no longer overwrite it.
 */
export async function closeKnownPatient(trx: Transaction<FacilitiesDB>, id: string, status: 'RECOVERED' | 'DECEASED', at: Date): Promise<void> {
  await trx.updateTable('known_patient').set({ status, updated_at: at }).where('id', '=', id).execute();
}

/**
 * Applies a patient state event; an older event never overwrites a newer state, and a closed case
 * never opens again. A case is closed for good (a new infection is a new case): a discharge as
 * recovered here closes it before the patients subgraph hears of it, and a tier change it made in
 * the meantime, with a later time, must not bring the patient back under treatment.
 */
export async function upsertKnownPatient(
  trx: Transaction<FacilitiesDB>,
  p: { id: string; wardCode: string; status: PatientStatus; tier: TreatmentTier; at: Date },
): Promise<void> {
  // SQL text: every admission's events run this in each consumer step, and Kysely's builder for
  // an insert … on conflict cost more CPU than the statement took to run.
  await trx.executeQuery(CompiledQuery.raw(UPSERT_KNOWN_PATIENT, [p.id, p.wardCode, p.status, p.tier, p.at]));
}

/** An UNDER_TREATMENT that arrives after the patient closed here does not reopen it (see above). */
const UPSERT_KNOWN_PATIENT = `
  insert into known_patient as k (id, ward_code, status, tier, updated_at) values ($1, $2, $3, $4, $5)
  on conflict (id) do update
     set ward_code = excluded.ward_code,
         status = case when excluded.status = 'UNDER_TREATMENT' and k.status <> 'UNDER_TREATMENT' then k.status else excluded.status end,
         tier = excluded.tier,
         updated_at = excluded.updated_at
   where k.updated_at <= excluded.updated_at`;
