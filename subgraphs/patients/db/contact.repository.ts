/** F1 contacts and their quarantine orders: rows, mappers and queries. */
import { sql, type Expression, type Kysely, type SqlBool, type Transaction, type Insertable } from 'kysely';
import type { PersonIdentity } from './mappers.js';
import type { ContactRow, ContactTable, ExposureSetting, PatientsDB, QuarantineEndReason, QuarantineOrderRow, QuarantineOrderTable, QuarantinePlace, Sex } from './tables.js';

export interface Contact extends PersonIdentity {
  indexPatientId: string;
  exposure: ExposureSetting;
  exposedOn: string;
  patientId: string | null;
  convertedAt: Date | null;
  recordedAt: Date;
  idempotencyKey: string | null;
}

export interface QuarantineOrder {
  id: string;
  contactId: string;
  place: QuarantinePlace;
  facilityId: string | null;
  facilityWardCode: string | null;
  issuingWardCode: string;
  decisionNumber: string;
  startsOn: string;
  plannedEndOn: string;
  endDecisionNumber: string | null;
  endedOn: string | null;
  endReason: QuarantineEndReason | null;
  issuedAt: Date;
  endedAt: Date | null;
  idempotencyKey: string | null;
}

export const toContact = (r: ContactRow): Contact => ({
  id: r.id,
  fullName: r.full_name,
  dateOfBirth: r.date_of_birth,
  sex: r.sex,
  nationalId: r.national_id,
  phone: r.phone,
  wardCode: r.ward_code,
  districtCode: r.district_code,
  address: r.address,
  indexPatientId: r.index_patient_id,
  exposure: r.exposure,
  exposedOn: r.exposed_on,
  patientId: r.patient_id,
  convertedAt: r.converted_at,
  recordedAt: r.recorded_at,
  idempotencyKey: r.idempotency_key,
});

export const toQuarantineOrder = (r: QuarantineOrderRow): QuarantineOrder => ({
  id: r.id,
  contactId: r.contact_id,
  place: r.place,
  facilityId: r.facility_id,
  facilityWardCode: r.facility_ward_code,
  issuingWardCode: r.issuing_ward_code,
  decisionNumber: r.decision_number,
  startsOn: r.starts_on,
  plannedEndOn: r.planned_end_on,
  endDecisionNumber: r.end_decision_number,
  endedOn: r.ended_on,
  endReason: r.end_reason,
  issuedAt: r.issued_at,
  endedAt: r.ended_at,
  idempotencyKey: r.idempotency_key,
});

type Db = Kysely<PatientsDB> | Transaction<PatientsDB>;

export async function insertContact(trx: Transaction<PatientsDB>, values: Insertable<ContactTable>): Promise<Contact> {
  return toContact(await trx.insertInto('contact').values(values).returningAll().executeTakeFirstOrThrow());
}

export async function contactsByIds(db: Db, ids: readonly string[]): Promise<Contact[]> {
  if (ids.length === 0) return [];
  return (await db.selectFrom('contact').selectAll().where('id', 'in', ids).execute()).map(toContact);
}

export async function contactsByPatients(db: Db, patientIds: readonly string[]): Promise<Contact[]> {
  if (patientIds.length === 0) return [];
  return (await db.selectFrom('contact').selectAll().where('patient_id', 'in', patientIds).execute()).map(toContact);
}

export async function contactByIdempotencyKey(db: Db, key: string): Promise<Contact | undefined> {
  const row = await db.selectFrom('contact').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
  return row && toContact(row);
}

export async function lockContact(trx: Transaction<PatientsDB>, id: string): Promise<Contact | undefined> {
  const row = await trx.selectFrom('contact').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row && toContact(row);
}

export async function markConverted(trx: Transaction<PatientsDB>, contactId: string, patientId: string, at: Date): Promise<Contact> {
  return toContact(
    await trx.updateTable('contact').set({ patient_id: patientId, converted_at: at }).where('id', '=', contactId).returningAll().executeTakeFirstOrThrow(),
  );
}

export async function insertQuarantineOrder(trx: Transaction<PatientsDB>, values: Insertable<QuarantineOrderTable>): Promise<QuarantineOrder> {
  return toQuarantineOrder(await trx.insertInto('quarantine_order').values(values).returningAll().executeTakeFirstOrThrow());
}

export async function recordDecision(trx: Transaction<PatientsDB>, wardCode: string, number: string, orderId: string, kind: 'START' | 'END'): Promise<void> {
  await trx.insertInto('quarantine_decision').values({ ward_code: wardCode, number, order_id: orderId, kind }).execute();
}

export async function endQuarantineOrderRow(
  trx: Transaction<PatientsDB>,
  id: string,
  end: { decisionNumber: string; endedOn: string; reason: QuarantineEndReason; by: string },
): Promise<QuarantineOrder> {
  return toQuarantineOrder(
    await trx
      .updateTable('quarantine_order')
      .set({ end_decision_number: end.decisionNumber, ended_on: end.endedOn, end_reason: end.reason, ended_at: sql`now()`, ended_by: end.by })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow(),
  );
}

export async function lockQuarantineOrder(trx: Transaction<PatientsDB>, id: string): Promise<QuarantineOrder | undefined> {
  const row = await trx.selectFrom('quarantine_order').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row && toQuarantineOrder(row);
}

export async function lockActiveOrderOf(trx: Transaction<PatientsDB>, contactId: string): Promise<QuarantineOrder | undefined> {
  const row = await trx.selectFrom('quarantine_order').selectAll().where('contact_id', '=', contactId).where('ended_on', 'is', null).forUpdate().executeTakeFirst();
  return row && toQuarantineOrder(row);
}

export async function quarantineOrderByIdempotencyKey(db: Db, key: string): Promise<QuarantineOrder | undefined> {
  const row = await db.selectFrom('quarantine_order').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
  return row && toQuarantineOrder(row);
}

/** Orders of many contacts, newest first. */
export async function ordersByContacts(db: Db, contactIds: readonly string[]): Promise<QuarantineOrder[]> {
  if (contactIds.length === 0) return [];
  const rows = await db.selectFrom('quarantine_order').selectAll().where('contact_id', 'in', contactIds).orderBy('starts_on', 'desc').orderBy('issued_at', 'desc').execute();
  return rows.map(toQuarantineOrder);
}

export interface ContactFilter {
  wardCodes?: readonly string[];
  districtCodes?: readonly string[];
  indexPatientId?: string | null;
  underQuarantine?: boolean | null;
}

function contactConditions(filter: ContactFilter) {
  return (eb: import('kysely').ExpressionBuilder<PatientsDB, 'contact'>): Expression<SqlBool> => {
    const conditions: Expression<SqlBool>[] = [];
    if (filter.wardCodes) conditions.push(eb('contact.ward_code', 'in', filter.wardCodes.length ? filter.wardCodes : ['']));
    if (filter.districtCodes) conditions.push(eb('contact.district_code', 'in', filter.districtCodes.length ? filter.districtCodes : ['']));
    if (filter.indexPatientId) conditions.push(eb('contact.index_patient_id', '=', filter.indexPatientId));
    if (filter.underQuarantine != null) {
      const active = eb.exists(eb.selectFrom('quarantine_order as q').select('q.id').whereRef('q.contact_id', '=', 'contact.id').where('q.ended_on', 'is', null));
      conditions.push(filter.underQuarantine ? active : eb.not(active));
    }
    return eb.and(conditions);
  };
}

/** Most recently recorded first, keyset on (recorded_at, id). */
export async function searchContacts(db: Db, filter: ContactFilter, after: readonly [string, string] | undefined, limit: number): Promise<Contact[]> {
  let query = db.selectFrom('contact').selectAll().where(contactConditions(filter));
  if (after) query = query.where((eb) => eb(eb.refTuple('contact.recorded_at', 'contact.id'), '<', eb.tuple(new Date(after[0]) as never, after[1] as never)));
  const rows = await query.orderBy('recorded_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toContact);
}

export async function countContacts(db: Db, filter: ContactFilter): Promise<number> {
  const row = await db.selectFrom('contact').where(contactConditions(filter)).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface QuarantineStatsRow {
  area: string;
  underQuarantine: number;
  atHome: number;
  inAreas: number;
  contactsLast14Days: number;
  becameCases: number;
}

/** F1 aggregates for many wards or districts (or the city), by the contact's residence. */
export async function quarantineStatsByArea(
  db: Db,
  area: 'ward_code' | 'district_code' | 'city',
  codes: readonly string[] | undefined,
  since: string,
): Promise<QuarantineStatsRow[]> {
  if (codes && codes.length === 0) return [];
  const areaExpr = area === 'city' ? sql<string>`'city'` : sql<string>`${sql.ref(`c.${area}`)}`;
  let query = db
    .selectFrom('contact as c')
    .leftJoin('quarantine_order as q', (j) => j.onRef('q.contact_id', '=', 'c.id').on('q.ended_on', 'is', null))
    .select([
      areaExpr.as('area'),
      sql<number>`count(q.id)`.as('underQuarantine'),
      sql<number>`count(q.id) filter (where q.place = 'HOME')`.as('atHome'),
      sql<number>`count(q.id) filter (where q.place = 'QUARANTINE_AREA')`.as('inAreas'),
      sql<number>`count(*) filter (where c.exposed_on >= ${since}::date)`.as('contactsLast14Days'),
      sql<number>`count(*) filter (where c.patient_id is not null)`.as('becameCases'),
    ]);
  if (area !== 'city') query = query.where(`c.${area}`, 'in', codes!).groupBy(`c.${area}`);
  const rows = await query.execute();
  return rows.map((r) => ({
    area: r.area,
    underQuarantine: Number(r.underQuarantine),
    atHome: Number(r.atHome),
    inAreas: Number(r.inAreas),
    contactsLast14Days: Number(r.contactsLast14Days),
    becameCases: Number(r.becameCases),
  }));
}
