/**
 * The resident registry and its doses, generated inside PostgreSQL: a few thousand residents at
 * `--scale small`, the city's ~8 million and ~15 million doses at `--scale city`.
 *
 * Node plans only what is sequential: per ward, how many residents of each year of birth and
 * sex (drawn from a generator seeded by the ward's code) and, per (year, sex) bucket, the range
 * of national-id serial numbers they take, city-wide. That plan (a few hundred thousand numbers)
 * goes into temporary tables; `SELECT … FROM generate_series(…)` makes the rows, every other
 * draw being a deterministic function of the resident's id (`hashtextextended(id, k)`), so Node
 * formats no text. Two generator connections run those queries (the residents, and their
 * doses) as binary `COPY … TO STDOUT`, and the loading connection reads them with `COPY … FROM
 * STDIN (FORMAT binary, FREEZE)` in its one transaction: three backends, both cores. The
 * counters recordDose keeps up to date (coverage per ward and year of birth, doses per ward,
 * day and dose) are tallied by the loader from the loaded rows, before their keys are built.
 *
 * Vaccination by mid-January 2022 (Hanoi's reports): nearly every adult with a first dose, most
 * with two, boosters under way since December; adolescents 12–17 mostly with two doses; children
 * 5–11 not started (their campaign began in April 2022).
 */
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { subgraphDatabaseUrl } from '../../subgraphs/common/db/database.js';
import type { GeographyPlan } from './facilities-plan.js';
import type { PatientPlan, Scale } from './patients-plan.js';
import { Random } from './random.js';
import type { Progress } from './write.js';
import { SEED_SESSION, withIndexesAfterLoad } from './copy.js';
import { SCHEDULES } from '../../subgraphs/vaccination/domain/schedule.js';

const VACCINES = ['ASTRAZENECA', 'PFIZER_BIONTECH', 'MODERNA', 'SINOPHARM_VERO_CELL', 'SPUTNIK_V', 'HAYAT_VAX', 'ABDALA', 'JANSSEN'] as const;
const VACCINE_WEIGHTS = [30, 25, 10, 25, 3, 3, 2, 2];
/** Days between the seed's primary doses (before a jitter of 0–14 days): the usual practice, not the minimum. */
const INTERVAL: Record<(typeof VACCINES)[number], number> = {
  ASTRAZENECA: 56,
  PFIZER_BIONTECH: 21,
  MODERNA: 28,
  SINOPHARM_VERO_CELL: 28,
  SPUTNIK_V: 21,
  HAYAT_VAX: 21,
  ABDALA: 14,
  JANSSEN: 0,
};
const BOOSTERS = ['PFIZER_BIONTECH', 'MODERNA', 'ASTRAZENECA'] as const;
const NAMES = ['Nguyễn Văn An', 'Trần Thị Bình', 'Lê Văn Cường', 'Phạm Thị Dung', 'Hoàng Văn Em', 'Vũ Thị Gấm', 'Đỗ Văn Hải', 'Bùi Thị Khuyên'];
const DAY = 86_400_000;
const CAMPAIGN_START = Date.parse('2021-07-01T00:00:00Z');
/** Residents per INSERT: one progress line each. */
const CHUNK = 250_000;

export interface Counts {
  residents: number;
  doses: number;
}

/**
 * Seeded dose ids: UUIDv7-shaped, with the campaign's first day as their time and a running
 * number in generation order, so the same seed gives the same ids and the primary key is built
 * from rows already in key order.
 */
const DOSE_ID_PREFIX = `${CAMPAIGN_START.toString(16).padStart(12, '0').replace(/^(.{8})(.{4})$/, '$1-$2')}-7000-8000-`;

/** A ward of the registry: its place in generation (and id) order, and how many residents it has. */
interface WardPlan {
  ord: number;
  code: string;
  districtCode: string;
  residents: number;
}

/** Residents of one ward, one year of birth and one sex: consecutive ids and national-id serials. */
interface RunPlan {
  wardOrd: number;
  firstIndex: number;
  count: number;
  birthYear: number;
  /** Century-and-sex digit and two-digit year: the national id's bucket. */
  bucket: string;
  firstSerial: number;
}

interface PatientResident {
  wardOrd: number;
  index: number;
  nationalId: string;
  fullName: string;
  dateOfBirth: string;
}

export interface RegistryPlan {
  wards: WardPlan[];
  runs: RunPlan[];
  patients: PatientResident[];
  residents: number;
}

/**
 * The sequential part of the registry, in Node: per ward, the patients that are residents (they
 * come first), then the other residents grouped by year of birth and sex, with the national-id
 * serials of each (year, sex) bucket numbered city-wide from 500,001 (patients' serials are
 * their case numbers, far below). Ages follow the city's pyramid (age = 96·u^1.35, capped at 95),
 * 51 % women, drawn ward by ward from a generator seeded by the ward's code.
 */
export function planRegistry(scale: Scale, geo: GeographyPlan, patients: PatientPlan[], now: Date): RegistryPlan {
  const year = now.getUTCFullYear();
  const divisor = scale === 'city' ? 1 : 2_000;
  const byWard = new Map<string, PatientPlan[]>();
  for (const p of patients) {
    if (!p.nationalId) continue;
    const list = byWard.get(p.wardCode);
    if (list) list.push(p);
    else byWard.set(p.wardCode, [p]);
  }
  // Generation order is id order ('R-<ward>-<index>'), so that keys are built from sorted rows.
  const ordered = [...geo.wards].sort((a, b) => (`R-${a.code}-` < `R-${b.code}-` ? -1 : 1));
  const serials = new Map<string, number>();
  const plan: RegistryPlan = { wards: [], runs: [], patients: [], residents: 0 };
  ordered.forEach((ward, ord) => {
    if (ward.code.includes('-')) throw new Error(`ward code ${ward.code} contains "-": resident ids would be ambiguous`);
    const r = new Random(`residents:${scale}:${ward.code}`);
    const own = byWard.get(ward.code) ?? [];
    own.forEach((p, i) => plan.patients.push({ wardOrd: ord, index: i + 1, nationalId: p.nationalId!, fullName: p.fullName, dateOfBirth: p.dateOfBirth }));
    const target = Math.max(own.length + 2, Math.round(ward.population / divisor));
    // [age][female]
    const counts = new Array<number>(96 * 2).fill(0);
    for (let i = own.length; i < target; i++) {
      const age = Math.min(95, Math.floor(Math.pow(r.next(), 1.35) * 96));
      const female = r.chance(0.51) ? 1 : 0;
      counts[age * 2 + female]! += 1;
    }
    let index = own.length + 1;
    for (let age = 95; age >= 0; age--) {
      for (const female of [0, 1]) {
        const count = counts[age * 2 + female]!;
        if (count === 0) continue;
        const birthYear = year - age;
        const bucket = `${(birthYear >= 2000 ? 2 : 0) + female}${String(birthYear).slice(2)}`;
        const firstSerial = (serials.get(bucket) ?? 500_000) + 1;
        if (firstSerial + count - 1 > 999_999) throw new Error(`national id serials of bucket ${bucket} exceed six digits`);
        serials.set(bucket, firstSerial + count - 1);
        plan.runs.push({ wardOrd: ord, firstIndex: index, count, birthYear, bucket, firstSerial });
        index += count;
      }
    }
    plan.wards.push({ ord, code: ward.code, districtCode: ward.districtCode, residents: index - 1 });
    plan.residents += index - 1;
  });
  return plan;
}

/** A uniform draw in [0, 1), a function of the row's `id` and the draw's number. */
const u = (k: number) => `((hashtextextended(id, ${k}) & 4503599627370495)::float8 / 4503599627370496)`;
const textArray = (items: readonly string[]) => `array[${items.map((s) => `'${s.replace(/'/g, "''")}'`).join(', ')}]::text[]`;
const intArray = (items: readonly number[]) => `array[${items.join(', ')}]::int[]`;
/** The index (0-based) drawn from `draw` with probability proportional to `weights`. */
const weighted = (draw: string, weights: readonly number[]) => {
  const total = weights.reduce((a, b) => a + b, 0);
  let cumulative = 0;
  return `case ${weights.map((w, i) => `when ${draw} * ${total} < ${(cumulative += w)} then ${i}`).join(' ')} else ${weights.length - 1} end`;
};

/**
 * The draws of a resident's doses, from its id: first vaccine, first dose (as ms since the epoch),
 * whether the series is completed, the jitters of the intervals, the booster's delay and vaccine.
 * Used when the residents are made and again when their doses are: the same values both times.
 */
const DOSE_DRAWS = (endMs: number) => `
  ${weighted(u(8), VACCINE_WEIGHTS)} as vi,
  ${CAMPAIGN_START}::float8 + ${u(9)} * ${endMs - CAMPAIGN_START - 120 * DAY}::float8 as t0,
  floor(${u(11)} * 15)::int as j1,
  floor(${u(12)} * 15)::int as j2,
  floor(${u(14)} * 41)::int as boost_delay,
  floor(${u(15)} * ${BOOSTERS.length})::int as bi`;

/**
 * Day numbers (days since 1970-01-01) of the primary doses of a series that goes on: each a
 * vaccine's usual interval plus a jitter after the previous one, given only up to `end`.
 */
const PRIMARY_DAYS = (endMs: number) => {
  const interval = `(${intArray(VACCINES.map((v) => INTERVAL[v]))})[vi + 1]`;
  const t1 = `(t0 + (${interval} + j1) * ${DAY}::float8)`;
  const t2 = `(t0 + (2 * ${interval} + j1 + j2) * ${DAY}::float8)`;
  return `
  floor(t0 / ${DAY})::int as d1,
  case when ${t1} <= ${endMs} then floor(${t1} / ${DAY})::int end as d2,
  case when ${t2} <= ${endMs} then floor(${t2} / ${DAY})::int end as d3`;
};

const DOSE_COLUMNS = 'id, resident_id, dose, vaccine, administered_on, administered_at, at_home, recorded_by';
const RESIDENT_COLUMNS =
  'id, national_id, full_name, date_of_birth, ward_code, district_code, comorbidities, homebound, student, doses, primary_doses, boosted, fully_vaccinated, primary_completed_on, last_dose_on, schooling, next_dose_due_on';

/** A float8 probability (numeric literals would make every comparison a numeric one). */
const f = (x: number) => `${x}::float8`;
/** `cases` over the resident's age: [below this age, value]…, then the value above. */
const byAge = (cases: [number, number][], otherwise: number) => `case ${cases.map(([below, v]) => `when age < ${below} then ${f(v)}`).join(' ')} else ${f(otherwise)} end`;

/**
 * The two queries of the registry for wards `first`…`last`, each `COPY (…) TO STDOUT`-able (so
 * with the numbers inlined, COPY takes no parameters): the residents (patients first, then the
 * runs, in id order), and their doses (ids numbered from `firstDose` in generation order). Both
 * derive the residents' vaccination from the same draws of their ids, so they agree; each is
 * run by its own generator connection, on its own core.
 */
function generationQueries(now: Date, first: number, last: number, firstDose: number): { residents: string; doses: string } {
  const year = now.getUTCFullYear();
  const endMs = now.getTime() - DAY;
  const perVaccine = (values: (v: (typeof VACCINES)[number]) => number) => `(${intArray(VACCINES.map(values))})[vi + 1]`;
  const epoch = `date '1970-01-01'`;
  const common = `
with person as (
  select w.ord, p.index, 'R-' || w.code || '-' || lpad(p.index::text, 7, '0') as id, p.national_id, p.full_name, p.date_of_birth,
         w.code as ward_code, w.district_code, extract(year from p.date_of_birth)::int as birth_year
    from seed_patient_resident p join seed_ward w on w.ord = p.ward_ord
   where p.ward_ord between ${first} and ${last}
  union all
  select x.ord, x.index, x.id, x.national_id, (${textArray(NAMES)})[1 + floor(${u(1)} * ${NAMES.length})::int],
         make_date(x.birth_year, 1 + floor(${u(2)} * 12)::int, 1 + floor(${u(3)} * 28)::int), x.ward_code, x.district_code, x.birth_year
    from (select w.ord, r.first_index + k as index, 'R-' || w.code || '-' || lpad((r.first_index + k)::text, 7, '0') as id,
                 '001' || r.bucket || lpad((r.first_serial + k)::text, 6, '0') as national_id, r.birth_year, w.code as ward_code, w.district_code
            from seed_run r join seed_ward w on w.ord = r.ward_ord cross join lateral generate_series(0, r.count - 1) k
           where r.ward_ord between ${first} and ${last} offset 0) x
),
aged as (
  -- Probabilities by age: first dose, complete primary series, booster.
  select person.*, ${year} - birth_year as age from person order by ord, index
),
drawn as (
  select a.*,
         ${u(4)} < case when age >= 50 then ${f(0.3)} else ${f(0.05)} end as comorbid,
         age >= 65 and ${u(5)} < ${f(0.08)} as homebound,
         case when age between 6 and 11 then 'PRIMARY' when age between 12 and 17 then 'SECONDARY'
              when age between 18 and 22 and ${u(6)} < ${f(0.35)} then 'UNIVERSITY' else 'NONE' end as schooling,
         ${u(7)} < p1 as vaccinated, ${u(10)} < p2 / nullif(p1, 0) as wants_full, ${u(13)} < pb / nullif(p2, 0) as wants_booster,
         ${DOSE_DRAWS(endMs)}
    from (select aged.*,
                 ${byAge([[12, 0], [18, 0.97], [50, 0.995], [65, 0.99]], 0.97)} as p1,
                 ${byAge([[12, 0], [18, 0.92], [50, 0.97], [65, 0.96]], 0.93)} as p2,
                 ${byAge([[18, 0], [50, 0.35], [65, 0.55]], 0.5)} as pb
            from aged offset 0) a
),
series as (
  select s.*, primary_doses = ${perVaccine((v) => SCHEDULES[v].primaryDoses)} as fully,
         case primary_doses when 0 then null when 1 then d1 when 2 then d2 else d3 end as primary_last
    from (select d.*, case when not vaccinated then 0 when not wants_full then 1
                           else least(${perVaccine((v) => SCHEDULES[v].primaryDoses)}, case when d2 is null then 1 when d3 is null then 2 else 3 end) end as primary_doses
            from (select drawn.*, ${PRIMARY_DAYS(endMs)} from drawn offset 0) d offset 0) s
),
vaccinated as (
  -- Only what the rows and counters below read: every column here is copied into the materialised rows.
  select id, national_id, full_name, date_of_birth, ward_code, district_code, birth_year, comorbid, homebound, schooling,
         primary_doses, fully, primary_last, booster_day, coalesce(booster_day, primary_last) as last_day, d1, d2, d3,
         (${textArray(VACCINES)})[vi + 1] as vaccine, (${textArray(BOOSTERS)})[bi + 1] as booster,
         case when primary_doses > 0 and booster_day is null
              then coalesce(booster_day, primary_last) + case when fully then ${perVaccine((v) => SCHEDULES[v].boosterAfterDays)} else ${perVaccine((v) => SCHEDULES[v].intervalDays)} end end as due_day
    from (select series.*, case when fully and wants_booster and (primary_last + 90 + boost_delay)::float8 * ${DAY} <= ${endMs}
                                then primary_last + 90 + boost_delay end as booster_day
            from series offset 0) v
)`;
  const residents = `${common}
select id, national_id, full_name, date_of_birth, ward_code, district_code, comorbid as comorbidities, homebound, schooling <> 'NONE' as student,
       primary_doses + (booster_day is not null)::int as doses, primary_doses, booster_day is not null as boosted, fully as fully_vaccinated,
       ${epoch} + case when fully then primary_last end as primary_completed_on, ${epoch} + last_day as last_dose_on, schooling,
       ${epoch} + due_day as next_dose_due_on
  from vaccinated`;
  const doses = `${common},
doses as (
  -- A resident's doses: numbers 1…3 for the primary series, 4 for the booster (a lateral VALUES
  -- list would compile its expressions again for every resident).
  select v.id as resident_id, (array['PRIMARY_1', 'PRIMARY_2', 'PRIMARY_3', 'BOOSTER'])[k] as dose,
         case when k = 4 then v.booster else v.vaccine end as vaccine,
         case k when 1 then v.d1 when 2 then v.d2 when 3 then v.d3 else v.booster_day end as day
    from vaccinated v cross join lateral generate_series(1, case when v.booster_day is null then v.primary_doses else 4 end) k
   where k <= v.primary_doses or k = 4
)
select ('${DOSE_ID_PREFIX}' || lpad(to_hex(${firstDose}::bigint + row_number() over ()), 12, '0'))::uuid as id, resident_id, dose, vaccine,
       ${epoch} + day as administered_on, to_timestamp(day * 86400 + 7200) as administered_at, false as at_home, 'seed' as recorded_by
  from doses`;
  return { residents, doses };
}

/** The registry's plan in the session's temporary tables (`seed_ward`, `seed_run`, `seed_patient_resident`). */
async function writePlan(client: pg.ClientBase, plan: RegistryPlan): Promise<void> {
  await client.query(`
    create temporary table seed_ward (ord int primary key, code text not null, district_code text not null);
    create temporary table seed_run (ward_ord int not null, first_index int not null, count int not null, birth_year int not null, bucket text not null, first_serial int not null);
    create temporary table seed_patient_resident (ward_ord int not null, index int not null, national_id text not null, full_name text not null, date_of_birth date not null)`);
  await client.query('insert into seed_ward select * from unnest($1::int[], $2::text[], $3::text[])', [
    plan.wards.map((w) => w.ord),
    plan.wards.map((w) => w.code),
    plan.wards.map((w) => w.districtCode),
  ]);
  await client.query('insert into seed_run select * from unnest($1::int[], $2::int[], $3::int[], $4::int[], $5::text[], $6::int[])', [
    plan.runs.map((r) => r.wardOrd),
    plan.runs.map((r) => r.firstIndex),
    plan.runs.map((r) => r.count),
    plan.runs.map((r) => r.birthYear),
    plan.runs.map((r) => r.bucket),
    plan.runs.map((r) => r.firstSerial),
  ]);
  await client.query('insert into seed_patient_resident select * from unnest($1::int[], $2::int[], $3::text[], $4::text[], $5::date[])', [
    plan.patients.map((p) => p.wardOrd),
    plan.patients.map((p) => p.index),
    plan.patients.map((p) => p.nationalId),
    plan.patients.map((p) => p.fullName),
    plan.patients.map((p) => p.dateOfBirth),
  ]);
  await client.query('analyze seed_ward; analyze seed_run; analyze seed_patient_resident');
}

/** `columns` of a table with their types, in the table's order: COPY's binary format needs each value in its column's exact type. */
async function columnTypes(client: pg.ClientBase, table: string, columns: string): Promise<{ name: string; type: string }[]> {
  const names = columns.split(',').map((c) => c.trim());
  const { rows } = await client.query<{ name: string; type: string }>(
    `select attname as name, format_type(atttypid, atttypmod) as type from pg_attribute
      where attrelid = $1::regclass and attname = any($2::text[]) and not attisdropped order by attnum`,
    [table, names],
  );
  if (rows.length !== names.length) throw new Error(`${table} lacks some of the seed's columns ${columns}`);
  return rows;
}

/** `query`'s columns named `columns`, each cast to its column's type, for a binary COPY into that table. */
function typed(query: string, columns: { name: string; type: string }[]): string {
  return `select ${columns.map((c) => `g.${c.name}::${c.type}`).join(', ')} from (${query}) g`;
}

/**
 * Room for a chunk's rows in binary COPY format (about 100 bytes a dose, 50 MB for 250,000
 * residents' doses), so that a generator is not held back while the loader reads the other's.
 */
const BUFFER = 256 << 20;

/** Runs `query` on `client` as `COPY … TO STDOUT (FORMAT binary)` into a buffer read later. */
function generate(client: pg.Client, query: string): PassThrough {
  const buffer = new PassThrough({ highWaterMark: BUFFER });
  const out = client.query(copyTo(`copy (${query}) to stdout (format binary)`));
  out.on('error', (error) => buffer.destroy(error));
  buffer.on('error', () => {}); // reported by the pipeline that reads it
  out.pipe(buffer);
  return buffer;
}

/**
 * The registry, on three PostgreSQL backends so that both cores work: two generator
 * connections each run one side of the same draws for a chunk of wards, `COPY (SELECT …) TO
 * STDOUT` in binary (the residents, and their doses), and the loading connection reads them,
 * one after the other, with `COPY … FROM STDIN (FORMAT binary, FREEZE)` inside its one
 * transaction, so the rows are frozen and all-visible as written and binary values need no
 * parsing. The generators read only their own temporary copy of the plan; the next chunk is
 * generated while the loader reads this one. The counters are tallied from the loaded rows, by
 * the loader, before the keys are built.
 */
export async function writeVaccination(adminUrl: string, scale: Scale, geo: GeographyPlan, patients: PatientPlan[], now: Date, progress: Progress): Promise<Counts> {
  const connect = async () => {
    const c = new pg.Client({ connectionString: subgraphDatabaseUrl(adminUrl, 'vaccination'), options: '-c search_path=vaccination' });
    await c.connect();
    return c;
  };
  const client = await connect();
  const generators: pg.Client[] = [];
  const counts: Counts = { residents: 0, doses: 0 };
  try {
    const existing = await client.query<{ n: number }>('select count(*)::int as n from resident');
    if (existing.rows[0]!.n > 0) {
      progress('  residents          already loaded');
      return counts;
    }
    const started = Date.now();
    const plan = planRegistry(scale, geo, patients, now);
    generators.push(await connect(), await connect());
    const [residentGenerator, doseGenerator] = generators as [pg.Client, pg.Client];
    await Promise.all([writePlan(residentGenerator, plan), writePlan(doseGenerator, plan)]);
    await client.query('begin');
    // Memory for the foreign-key check's join and the counters' aggregation.
    await client.query(`${SEED_SESSION}; set local work_mem = '512MB'`);
    // No resident means no dose, no home-visit request and no counters either: emptied in this
    // transaction, the tables are written without WAL (wal_level=minimal), COPY can freeze
    // their rows, and their keys are rebuilt below.
    await client.query('truncate home_vaccination_request, vaccination_record, resident, coverage, dose_day');
    await client.query('create temporary table seed_ward (ord int primary key, code text not null, district_code text not null) on commit drop');
    await client.query('insert into seed_ward select * from unnest($1::int[], $2::text[], $3::text[])', [
      plan.wards.map((w) => w.ord),
      plan.wards.map((w) => w.code),
      plan.wards.map((w) => w.districtCode),
    ]);
    const residentColumns = await columnTypes(client, 'resident', RESIDENT_COLUMNS);
    const doseColumns = await columnTypes(client, 'vaccination_record', DOSE_COLUMNS);
    const names = (columns: { name: string }[]) => columns.map((c) => c.name).join(', ');
    // Whole wards per chunk, about CHUNK residents each: one progress line per chunk.
    const chunks: { first: number; last: number; residents: number }[] = [];
    let first = 0;
    let size = 0;
    for (const ward of plan.wards) {
      size += ward.residents;
      if (size < CHUNK && ward.ord < plan.wards.length - 1) continue;
      chunks.push({ first, last: ward.ord, residents: size });
      first = ward.ord + 1;
      size = 0;
    }
    let loaded = 0;
    await withIndexesAfterLoad(
      client,
      ['resident', 'vaccination_record', 'coverage', 'dose_day'],
      async () => {
        loaded = Date.now();
        // The doses' ids are numbered in generation order: a chunk's first is known once the
        // previous chunk's doses are counted, so the dose generator runs one chunk behind the
        // resident generator at most.
        const residentStreams = chunks.map(() => null as PassThrough | null);
        const startResidents = (i: number) => {
          if (i < chunks.length) residentStreams[i] = generate(residentGenerator, typed(generationQueries(now, chunks[i]!.first, chunks[i]!.last, 0).residents, residentColumns));
        };
        startResidents(0);
        for (let i = 0; i < chunks.length; i++) {
          const chunk = chunks[i]!;
          const doses = generate(doseGenerator, typed(generationQueries(now, chunk.first, chunk.last, counts.doses).doses, doseColumns));
          startResidents(i + 1);
          await pipeline(residentStreams[i]!, client.query(copyFrom(`copy resident (${names(residentColumns)}) from stdin (format binary, freeze)`)));
          residentStreams[i] = null;
          const doseLoad = client.query(copyFrom(`copy vaccination_record (${names(doseColumns)}) from stdin (format binary, freeze)`));
          await pipeline(doses, doseLoad);
          counts.residents += chunk.residents;
          counts.doses += doseLoad.rowCount;
          const pct = Math.round((counts.residents / plan.residents) * 100);
          progress(`  residents      ${String(counts.residents).padStart(9)} / ${plan.residents}  ${'█'.repeat(Math.floor(pct / 5)).padEnd(20, '·')} ${pct}%  (${counts.doses} doses)`);
        }
        loaded = Date.now() - loaded;
        const tallied = Date.now();
        // The counters recordDose keeps up to date, tallied from the loaded rows (a resident's
        // ward is in its id: 'R-<ward>-<n>').
        await client.query(`
          insert into coverage (ward_code, district_code, birth_year, population, dose1, fully, boosted)
          select ward_code, district_code, extract(year from date_of_birth)::int, count(*), count(*) filter (where primary_doses > 0),
                 count(*) filter (where fully_vaccinated), count(*) filter (where boosted)
            from resident group by ward_code, district_code, extract(year from date_of_birth)::int`);
        await client.query(`
          insert into dose_day (ward_code, district_code, day, dose, count)
          select w.code, w.district_code, d.day, d.dose, d.count
            from (select split_part(resident_id, '-', 2) as ward, administered_on as day, dose, count(*) as count
                    from vaccination_record group by 1, 2, 3) d
            join seed_ward w on w.code = d.ward`);
        progress(`  residents          counters tallied in ${((Date.now() - tallied) / 1000).toFixed(1)} s`);
      },
      async () => {
        progress(`  residents          building the indexes of ${counts.residents} residents and ${counts.doses} doses…`);
        // Statistics before the foreign keys are checked: their queries are planned on them (the
        // dose's session key, null everywhere, is then checked through its partial index).
        await client.query('analyze resident; analyze vaccination_record');
      },
      (what, seconds) => progress(`  residents            ${what} in ${seconds.toFixed(1)} s`),
    );
    const indexed = Date.now();
    progress(`  residents          generated and loaded in ${(loaded / 1000).toFixed(1)} s, tallied and indexed in ${((indexed - started - loaded) / 1000).toFixed(1)} s`);
    await client.query('commit');
    progress(`  residents          committed in ${((Date.now() - indexed) / 1000).toFixed(1)} s`);
    // COPY … FREEZE writes the residents and doses frozen, and marks all-visible the pages it
    // fills from empty, but not a page it goes on filling after a flush of its buffer (about a
    // third of them); the counters were written by INSERT. VACUUM sets the rest once, here, so
    // that index-only scans skip the heap and no first reader rewrites a page (2.2 GB of WAL
    // with data checksums at city scale when the rows were not frozen).
    const vacuumed = Date.now();
    await client.query('vacuum (freeze, analyze) resident, vaccination_record, coverage, dose_day');
    progress(`  residents          frozen and analysed in ${((Date.now() - vacuumed) / 1000).toFixed(1)} s`);
    progress(`  residents          ${counts.residents} residents, ${counts.doses} doses in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return counts;
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    await Promise.all(generators.map((g) => g.end().catch(() => {})));
    await client.end();
  }
}
