/**
 * Beds at the end of a city day, for the daily report: occupancy from the admissions open at
 * midnight (admissions keep their history), capacity of the facilities active now (capacity
 * changes are not kept as history, so a past report shows the capacity of the day it was first
 * produced). Treatment beds only: quarantine areas hold F1 contacts. Past days are stored the first time they are asked for and never change after.
 */
import { sql, type Kysely } from 'kysely';
import { BED_KINDS, type BedKind } from '../../common/domain/enums.js';
import { DISTRICTS } from '../../common/admin-units.js';
import { startOfCityDate } from '../../common/graphql/scalars.js';
import { NON_TREATMENT_KINDS, type BedCounts } from '../domain/capacity.js';
import type { FacilitiesDB } from './tables.js';

export async function computeBedsAt(db: Kysely<FacilitiesDB>, day: string, scope: string): Promise<BedCounts[]> {
  const end = new Date(startOfCityDate(day).getTime() + 86_400_000);
  const inScope = scope === 'city' ? sql`true` : sql`f.district_code = ${scope}`;
  const { rows } = await sql<{ kind: BedKind; total: number; covid_designated: number; occupied: number }>`
    select b.kind, sum(b.total)::int as total, sum(b.covid_designated)::int as covid_designated,
           coalesce(sum(o.n), 0)::int as occupied
      from bed b
      join facility f on f.id = b.facility_id
      left join (select facility_id, bed_kind, count(*) as n from admission
                  where admitted_at < ${end} and (discharged_at is null or discharged_at >= ${end})
                  group by 1, 2) o on o.facility_id = b.facility_id and o.bed_kind = b.kind
     where f.status = 'ACTIVE' and f.kind <> all(${[...NON_TREATMENT_KINDS]}::text[]) and ${inScope}
     group by b.kind`.execute(db);
  return BED_KINDS.map((kind) => {
    const r = rows.find((x) => x.kind === kind);
    return { kind, total: r?.total ?? 0, covidDesignated: r?.covid_designated ?? 0, occupied: r?.occupied ?? 0 };
  });
}

/** Beds of a day: the frozen ones once frozen, otherwise computed for this read (nothing is written). */
export async function bedsAt(db: Kysely<FacilitiesDB>, day: string, scope: string): Promise<BedCounts[]> {
  const stored = await db.selectFrom('bed_snapshot').selectAll().where('day', '=', day).where('scope', '=', scope).execute();
  if (!stored.length) return computeBedsAt(db, day, scope);
  return BED_KINDS.map((kind) => {
    const r = stored.find((x) => x.kind === kind);
    return { kind, total: r?.total ?? 0, covidDesignated: r?.covid_designated ?? 0, occupied: r?.occupied ?? 0 };
  });
}

/** Freezes the beds of a day for the city and every district; beds already frozen are kept. */
export async function freezeBeds(db: Kysely<FacilitiesDB>, day: string): Promise<void> {
  for (const scope of ['city', ...DISTRICTS.map((d) => d.code)]) {
    const beds = await computeBedsAt(db, day, scope);
    await db
      .insertInto('bed_snapshot')
      .values(beds.map((b) => ({ day, scope, kind: b.kind, total: b.total, covid_designated: b.covidDesignated, occupied: b.occupied })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}
