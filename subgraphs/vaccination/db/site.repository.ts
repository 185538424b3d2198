/** Mobile vaccination points and their sessions; a session counts its doses as they are recorded. */
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import { toVaccinationPoint, toVaccinationSession, type VaccinationPoint, type VaccinationSession } from './mappers.js';
import type { VaccinationDB, VaccinationPointTable, VaccinationSessionTable } from './tables.js';

/** Where a list of points or sessions is taken from: a ward, a district, or the whole city. */
export interface AreaFilter {
  wardCode?: string | null;
  districtCode?: string | null;
}

export async function insertPoint(db: Kysely<VaccinationDB>, values: Insertable<VaccinationPointTable>): Promise<VaccinationPoint> {
  return toVaccinationPoint(await db.insertInto('vaccination_point').values(values).returningAll().executeTakeFirstOrThrow());
}

export async function pointsByIds(db: Kysely<VaccinationDB>, ids: readonly string[]): Promise<VaccinationPoint[]> {
  if (ids.length === 0) return [];
  return (await db.selectFrom('vaccination_point').selectAll().where('id', 'in', ids).execute()).map(toVaccinationPoint);
}

/** The point or session a key created, with the key itself, to compare a retry against. */
export async function pointByIdempotencyKey(db: Kysely<VaccinationDB>, createdBy: string, key: string): Promise<VaccinationPoint | undefined> {
  const row = await db.selectFrom('vaccination_point').selectAll().where('created_by', '=', createdBy).where('idempotency_key', '=', key).executeTakeFirst();
  return row && toVaccinationPoint(row);
}

export async function sessionByIdempotencyKey(db: Kysely<VaccinationDB>, createdBy: string, key: string): Promise<VaccinationSession | undefined> {
  const row = await db.selectFrom('vaccination_session').selectAll().where('created_by', '=', createdBy).where('idempotency_key', '=', key).executeTakeFirst();
  return row && toVaccinationSession(row);
}

export async function setPointActive(db: Kysely<VaccinationDB>, id: string, active: boolean): Promise<VaccinationPoint> {
  return toVaccinationPoint(await db.updateTable('vaccination_point').set({ active }).where('id', '=', id).returningAll().executeTakeFirstOrThrow());
}

/** A page of points of an area, by id. */
export async function pointsOfArea(db: Kysely<VaccinationDB>, area: AreaFilter, activeOnly: boolean, after: string | undefined, limit: number): Promise<VaccinationPoint[]> {
  let query = db.selectFrom('vaccination_point').selectAll();
  if (area.wardCode) query = query.where('ward_code', '=', area.wardCode);
  if (area.districtCode) query = query.where('district_code', '=', area.districtCode);
  if (activeOnly) query = query.where('active', '=', true);
  if (after) query = query.where('id', '>', after);
  return (await query.orderBy('id').limit(limit).execute()).map(toVaccinationPoint);
}

export async function insertSession(db: Kysely<VaccinationDB>, values: Insertable<VaccinationSessionTable>): Promise<VaccinationSession> {
  return toVaccinationSession(await db.insertInto('vaccination_session').values(values).returningAll().executeTakeFirstOrThrow());
}

export async function sessionsByIds(db: Kysely<VaccinationDB>, ids: readonly string[]): Promise<VaccinationSession[]> {
  if (ids.length === 0) return [];
  return (await db.selectFrom('vaccination_session').selectAll().where('id', 'in', ids).execute()).map(toVaccinationSession);
}

/** A session locked until the dose that names it commits, so its counter is bumped in order. */
export async function lockSession(trx: Transaction<VaccinationDB>, id: string): Promise<VaccinationSession | undefined> {
  const row = await trx.selectFrom('vaccination_session').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row && toVaccinationSession(row);
}

export async function countSessionDose(trx: Transaction<VaccinationDB>, id: string): Promise<void> {
  await trx.updateTable('vaccination_session').set({ doses_given: sql`doses_given + 1` }).where('id', '=', id).execute();
}

/** A page of sessions of an area (or one point) ending after `from` and starting before `to`, by start then id. */
export async function sessionsOfArea(
  db: Kysely<VaccinationDB>,
  filter: AreaFilter & { pointId?: string | null; from?: Date | null; to?: Date | null },
  after: [string, string] | undefined,
  limit: number,
): Promise<VaccinationSession[]> {
  let query = db.selectFrom('vaccination_session').selectAll();
  if (filter.wardCode) query = query.where('ward_code', '=', filter.wardCode);
  if (filter.districtCode) query = query.where('district_code', '=', filter.districtCode);
  if (filter.pointId) query = query.where('point_id', '=', filter.pointId);
  if (filter.from) query = query.where('ends_at', '>', filter.from);
  if (filter.to) query = query.where('starts_at', '<', filter.to);
  if (after) query = query.where(sql`(starts_at, id)`, '>', sql`(${new Date(after[0])}::timestamptz, ${after[1]}::uuid)`);
  return (await query.orderBy('starts_at').orderBy('id').limit(limit).execute()).map(toVaccinationSession);
}
