/** Facility contacts: how citizens reach a place. */
import { sql, type Kysely, type Transaction } from 'kysely';
import { toFacilityContacts, type FacilityContacts } from './mappers.js';
import type { FacilitiesDB, ZaloGroup } from './tables.js';

export async function contactsByFacilityIds(db: Kysely<FacilitiesDB>, ids: readonly string[]): Promise<FacilityContacts[]> {
  if (ids.length === 0) return [];
  return (await db.selectFrom('facility_contact').selectAll().where('facility_id', 'in', ids).execute()).map(toFacilityContacts);
}

/**
 * Active facilities of the wards that publish contacts: health stations first, then mobile
 * stations, then the rest, by name.
 */
export async function contactFacilityIdsByWards(db: Kysely<FacilitiesDB>, wardCodes: readonly string[]): Promise<{ wardCode: string; facilityId: string }[]> {
  if (wardCodes.length === 0) return [];
  const rows = await db
    .selectFrom('facility as f')
    .innerJoin('facility_contact as c', 'c.facility_id', 'f.id')
    .select(['f.ward_code as wardCode', 'f.id as facilityId'])
    .where('f.ward_code', 'in', wardCodes)
    .where('f.status', '=', 'ACTIVE')
    .orderBy(sql`case f.kind when 'HEALTH_STATION' then 0 when 'MOBILE_HEALTH_STATION' then 1 else 2 end`)
    .orderBy('f.name')
    .orderBy('f.id')
    .execute();
  return rows;
}

export async function upsertFacilityContacts(
  trx: Transaction<FacilitiesDB>,
  values: { facilityId: string; phones: string[]; hotline: string | null; zaloGroups: ZaloGroup[]; hours: string | null; updatedBy: string },
): Promise<FacilityContacts> {
  const row = {
    phones: values.phones,
    hotline: values.hotline,
    zalo_groups: JSON.stringify(values.zaloGroups) as unknown as ZaloGroup[],
    hours: values.hours,
    updated_by: values.updatedBy,
  };
  const saved = await trx
    .insertInto('facility_contact')
    .values({ facility_id: values.facilityId, ...row })
    .onConflict((oc) => oc.column('facility_id').doUpdateSet({ ...row, updated_at: sql`now()` }))
    .returningAll()
    .executeTakeFirstOrThrow();
  return toFacilityContacts(saved);
}
