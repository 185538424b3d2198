/**
 * The resident registry and its doses, streamed into PostgreSQL with COPY: a few thousand
 * residents at `--scale small`, the city's ~8 million and ~20 million doses at `--scale city`.
 * Coverage counters and daily progress are tallied while the rows are generated and loaded with
 * them: the same numbers recordDose keeps up to date afterwards (the seed test recounts them).
 *
 * Vaccination by mid-January 2022 (Hanoi's reports): nearly every adult with a first dose, most
 * with two, boosters under way since December; adolescents 12–17 mostly with two doses; children
 * 5–11 not started (their campaign began in April 2022).
 */
import pg from 'pg';
import { subgraphDatabaseUrl } from '../../subgraphs/common/db/database.js';
import type { GeographyPlan } from './facilities-plan.js';
import type { PatientPlan, Scale } from './patients-plan.js';
import { Random } from './random.js';
import type { Progress } from './write.js';
import { CopyBuffer, SEED_SESSION, copyChunks, withIndexesAfterLoad } from './copy.js';
import { DOSE_KINDS, nextDoseDueOn } from '../../subgraphs/vaccination/domain/schedule.js';
import type { Schooling } from '../../subgraphs/vaccination/domain/gaps.js';

const VACCINES = ['ASTRAZENECA', 'PFIZER_BIONTECH', 'MODERNA', 'SINOPHARM_VERO_CELL', 'SPUTNIK_V', 'HAYAT_VAX', 'ABDALA', 'JANSSEN'] as const;
const VACCINE_WEIGHTS = [30, 25, 10, 25, 3, 3, 2, 2];
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
const PRIMARY: Record<(typeof VACCINES)[number], number> = { ASTRAZENECA: 2, PFIZER_BIONTECH: 2, MODERNA: 2, SINOPHARM_VERO_CELL: 2, SPUTNIK_V: 2, HAYAT_VAX: 2, ABDALA: 3, JANSSEN: 1 };
const BOOSTER = DOSE_KINDS.indexOf('BOOSTER');
const NAMES = ['Nguyễn Văn An', 'Trần Thị Bình', 'Lê Văn Cường', 'Phạm Thị Dung', 'Hoàng Văn Em', 'Vũ Thị Gấm', 'Đỗ Văn Hải', 'Bùi Thị Khuyên'];
const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);

interface Counts {
  residents: number;
  doses: number;
}

/**
 * The counters recordDose keeps up to date, tallied while the rows are generated (the same
 * numbers a recount of the loaded rows gives, without scanning 15 million doses again).
 */
export interface Counters {
  /** COPY lines of `coverage`: per ward and year of birth. */
  coverage: CopyBuffer;
  /** COPY lines of `dose_day`: per ward, day and dose. */
  doseDays: CopyBuffer;
}

/**
 * Seeded dose ids: UUIDv7-shaped, with the campaign's first day as their time and a running
 * number in generation order, so the same seed gives the same ids and the primary key is built
 * from rows already in key order (random UUIDs made its sort the costliest of the load).
 */
const DOSE_ID_PREFIX = `${Date.parse('2021-07-01T00:00:00Z').toString(16).padStart(12, '0').replace(/^(.{8})(.{4})$/, '$1-$2')}-7000-8000-`;
export const seededDoseId = (n: number) => `${DOSE_ID_PREFIX}${n.toString(16).padStart(12, '0')}`;

/** Tab-separated COPY text escaping (names are the only free text). */
const esc = (v: string) => (/[\\\t\n]/.test(v) ? v.replace(/\\/g, '\\\\').replace(/\t/g, ' ').replace(/\n/g, ' ') : v);

/** One batch of COPY text: residents and their doses, in ~256 kB chunks. */
interface Batch {
  residents: CopyBuffer;
  doses: CopyBuffer;
}

/**
 * The residents of the city ward by ward, and their doses, as COPY lines. Ward by ward from a
 * generator seeded by the ward's code, so the registry is the same on every run; yields after
 * every `batchSize` residents so the caller can ship a batch while the next one is made.
 */
export function* generateResidents(
  scale: Scale,
  geo: GeographyPlan,
  patients: PatientPlan[],
  now: Date,
  counts: Counts,
  batchSize = 100_000,
  counters: Counters = { coverage: new CopyBuffer(), doseDays: new CopyBuffer() },
): Generator<Batch> {
  const year = now.getUTCFullYear();
  const divisor = scale === 'city' ? 1 : 2_000;
  const buckets = new Map<string, number>();
  const patientIds = new Set(patients.map((p) => p.nationalId).filter(Boolean));
  const byWard = new Map<string, PatientPlan[]>();
  for (const p of patients) {
    if (!p.nationalId) continue;
    const list = byWard.get(p.wardCode);
    if (list) list.push(p);
    else byWard.set(p.wardCode, [p]);
  }
  const start = Date.parse('2021-07-01T00:00:00Z');
  const end = now.getTime() - DAY;
  // Dose dates are whole days: format each day once.
  const days = new Map<number, string>();
  const dayText = (day: number) => {
    let text = days.get(day);
    if (text === undefined) days.set(day, (text = iso(day * DAY)));
    return text;
  };

  let batch: Batch = { residents: new CopyBuffer(), doses: new CopyBuffer() };
  for (const ward of geo.wards) {
    const r = new Random(`residents:${scale}:${ward.code}`);
    const people: { nationalId: string; name: string; dob: string; birthYear: number }[] = [];
    for (const p of byWard.get(ward.code) ?? []) people.push({ nationalId: p.nationalId!, name: p.fullName, dob: p.dateOfBirth, birthYear: Number(p.dateOfBirth.slice(0, 4)) });
    const target = Math.max(people.length + 2, Math.round(ward.population / divisor));
    while (people.length < target) {
      const age = Math.min(95, Math.floor(Math.pow(r.next(), 1.35) * 96));
      const birthYear = year - age;
      const female = r.chance(0.51);
      const century = (birthYear >= 2000 ? 2 : 0) + (female ? 1 : 0);
      const bucket = `${century}${String(birthYear).slice(2)}`;
      const n = (buckets.get(bucket) ?? 500_000) + 1;
      buckets.set(bucket, n);
      const nationalId = `001${bucket}${String(n).padStart(6, '0')}`;
      if (patientIds.has(nationalId)) continue;
      const name = r.pick(NAMES);
      const month = r.int(1, 12);
      const dayOfMonth = r.int(1, 28);
      people.push({ nationalId, name, dob: `${birthYear}-${month < 10 ? '0' : ''}${month}-${dayOfMonth < 10 ? '0' : ''}${dayOfMonth}`, birthYear });
    }
    const wardTail = `\t${ward.code}\t${ward.districtCode}\t`;
    // This ward's counters: [population, dose1, fully, boosted] by year of birth, doses by day.
    const coverage = new Map<number, [number, number, number, number]>();
    const doseDays = new Map<number, number>();
    const dose = (residentId: string, kind: number, day: number, vaccine: string) => {
      const text = dayText(day);
      batch.doses.push(`${seededDoseId(++counts.doses)}\t${residentId}\t${DOSE_KINDS[kind]}\t${vaccine}\t${text}\t${text} 09:00:00+07\tfalse\tseed\n`);
      const key = day * DOSE_KINDS.length + kind;
      doseDays.set(key, (doseDays.get(key) ?? 0) + 1);
    };
    const idPrefix = `R-${ward.code}-`;
    for (let i = 0; i < people.length; i++) {
      const person = people[i]!;
      const age = year - person.birthYear;
      const id = `${idPrefix}${String(i + 1).padStart(7, '0')}`;
      const comorbid = r.chance(age >= 50 ? 0.3 : 0.05);
      const homebound = age >= 65 && r.chance(0.08);
      // Primary school 6–11, secondary 12–17, and about a third of the young adults at university.
      const schooling: Schooling = age >= 6 && age <= 11 ? 'PRIMARY' : age >= 12 && age <= 17 ? 'SECONDARY' : age >= 18 && age <= 22 && r.chance(0.35) ? 'UNIVERSITY' : 'NONE';
      const student = schooling !== 'NONE';
      // Probabilities by age: first dose, complete primary series, booster.
      const [p1, p2, pb] = age < 5 ? [0, 0, 0] : age < 12 ? [0, 0, 0] : age < 18 ? [0.97, 0.92, 0] : age < 50 ? [0.995, 0.97, 0.35] : age < 65 ? [0.99, 0.96, 0.55] : [0.97, 0.93, 0.5];
      let doses = 0;
      let primary = 0;
      let fully = false;
      let boosted = false;
      let completed: string | null = null;
      let last: string | null = null;
      let lastDay = 0;
      let due: string | null = null;
      if (r.chance(p1)) {
        const vaccine = VACCINES[r.weighted(VACCINE_WEIGHTS)]!;
        const needed = PRIMARY[vaccine];
        let t = start + r.next() * (end - start - 120 * DAY);
        const wantsFull = r.chance(p2 / p1);
        for (let k = 1; k <= needed && (k === 1 || wantsFull); k++) {
          if (t > end) break;
          lastDay = Math.floor(t / DAY);
          last = dayText(lastDay);
          dose(id, k - 1, lastDay, vaccine);
          doses += 1;
          primary = k;
          if (k === needed) {
            fully = true;
            completed = last;
          }
          t += (INTERVAL[vaccine] + r.int(0, 14)) * DAY;
        }
        if (fully && r.chance(pb / p2)) {
          const boosterDay = lastDay + 90 + r.int(0, 40);
          if (boosterDay * DAY <= end) {
            const booster = r.pick(['PFIZER_BIONTECH', 'MODERNA', 'ASTRAZENECA'] as const);
            last = dayText(boosterDay);
            dose(id, BOOSTER, boosterDay, booster);
            doses += 1;
            boosted = true;
          }
        }
        if (last) due = nextDoseDueOn(vaccine, fully, boosted, last);
      }
      counts.residents += 1;
      const tally = coverage.get(person.birthYear) ?? [0, 0, 0, 0];
      tally[0] += 1;
      if (doses > 0) tally[1] += 1;
      if (fully) tally[2] += 1;
      if (boosted) tally[3] += 1;
      coverage.set(person.birthYear, tally);
      batch.residents.push(
        `${id}\t${person.nationalId}\t${esc(person.name)}\t${person.dob}${wardTail}${comorbid}\t${homebound}\t${student}\t${doses}\t${primary}\t${boosted}\t${fully}\t${completed ?? '\\N'}\t${last ?? '\\N'}\t${schooling}\t${due ?? '\\N'}\n`,
      );
      if (batch.residents.lines >= batchSize) {
        yield batch;
        batch = { residents: new CopyBuffer(), doses: new CopyBuffer() };
      }
    }
    for (const [birthYear, [population, dose1, fully, boosted]] of coverage) {
      counters.coverage.push(`${ward.code}\t${ward.districtCode}\t${birthYear}\t${population}\t${dose1}\t${fully}\t${boosted}\n`);
    }
    for (const [key, count] of doseDays) {
      const day = Math.floor(key / DOSE_KINDS.length);
      counters.doseDays.push(`${ward.code}\t${ward.districtCode}\t${dayText(day)}\t${DOSE_KINDS[key - day * DOSE_KINDS.length]}\t${count}\n`);
    }
  }
  if (batch.residents.lines > 0) yield batch;
}

const RESIDENT_COLUMNS =
  'id, national_id, full_name, date_of_birth, ward_code, district_code, comorbidities, homebound, student, doses, primary_doses, boosted, fully_vaccinated, primary_completed_on, last_dose_on, schooling, next_dose_due_on';

export async function writeVaccination(adminUrl: string, scale: Scale, geo: GeographyPlan, patients: PatientPlan[], now: Date, progress: Progress): Promise<Counts> {
  const client = new pg.Client({ connectionString: subgraphDatabaseUrl(adminUrl, 'vaccination'), options: '-c search_path=vaccination' });
  await client.connect();
  const counts: Counts = { residents: 0, doses: 0 };
  try {
    const existing = await client.query<{ n: number }>('select count(*)::int as n from resident');
    if (existing.rows[0]!.n > 0) {
      progress('  residents          already loaded');
      return counts;
    }
    const started = Date.now();
    const expected = geo.wards.reduce((s, w) => s + Math.round(w.population / (scale === 'city' ? 1 : 2_000)), 0);
    await client.query('begin');
    await client.query(SEED_SESSION);
    // No resident means no dose, no home-visit request and no counters either: emptied in this
    // transaction, the tables take COPY … FREEZE (rows written already frozen, so counting them
    // afterwards does not rewrite every page).
    await client.query('truncate home_vaccination_request, vaccination_record, resident, coverage, dose_day');
    const counters: Counters = { coverage: new CopyBuffer(), doseDays: new CopyBuffer() };
    let loaded = 0;
    await withIndexesAfterLoad(
      client,
      ['resident', 'vaccination_record', 'coverage', 'dose_day'],
      async () => {
        loaded = Date.now();
        await copyInBatches(client, scale, geo, patients, now, counts, counters, expected, progress);
        // The generator counted as it went: the counters are written, not recounted (and,
        // like the rows, before their keys are built: millions of day counters at city scale).
        await copyChunks(client, 'copy coverage (ward_code, district_code, birth_year, population, dose1, fully, boosted) from stdin with (freeze)', counters.coverage.take());
        await copyChunks(client, 'copy dose_day (ward_code, district_code, day, dose, count) from stdin with (freeze)', counters.doseDays.take());
        loaded = Date.now() - loaded;
      },
      () => progress(`  residents          building the indexes of ${counts.residents} residents and ${counts.doses} doses…`),
      (what, seconds) => progress(`  residents            ${what} in ${seconds.toFixed(1)} s`),
    );
    const indexed = Date.now();
    progress(`  residents          loaded in ${(loaded / 1000).toFixed(1)} s, indexed in ${((indexed - started - loaded) / 1000).toFixed(1)} s`);
    await client.query('commit');
    progress(`  residents          committed in ${((Date.now() - indexed) / 1000).toFixed(1)} s`);
    await client.query('analyze resident; analyze vaccination_record; analyze coverage; analyze dose_day');
    progress(`  residents          ${counts.residents} residents, ${counts.doses} doses in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return counts;
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}

/**
 * COPY batch after batch; the next batch is made while the previous one is on its way (the
 * generator yields to the event loop between slices), so PostgreSQL and the generator work at
 * the same time.
 */
async function copyInBatches(
  client: pg.Client,
  scale: Scale,
  geo: GeographyPlan,
  patients: PatientPlan[],
  now: Date,
  counts: Counts,
  counters: Counters,
  expected: number,
  progress: Progress,
) {
  const generator = generateResidents(scale, geo, patients, now, counts, 10_000, counters);
  let lastReport = 0;
  let inFlight: Promise<void> = Promise.resolve();
  const report = (final: boolean) => {
    if (Date.now() - lastReport > 1_000 || final) {
      lastReport = Date.now();
      const pct = Math.min(100, Math.round((counts.residents / Math.max(1, expected)) * 100));
      progress(`  residents      ${String(counts.residents).padStart(9)} / ~${expected}  ${'█'.repeat(Math.floor(pct / 5)).padEnd(20, '·')} ${pct}%  (${counts.doses} doses)`);
    }
  };
  let slices = 0;
  let pending: Batch[] = [];
  for (const batch of generator) {
    pending.push(batch);
    slices += 1;
    // Ship ten slices (100,000 residents) at a time; let the socket drain between slices.
    if (slices % 10 === 0) {
      const ship = pending;
      pending = [];
      await inFlight;
      inFlight = ship_(client, ship);
      report(false);
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  await inFlight;
  await ship_(client, pending);
  report(true);
}

async function ship_(client: pg.Client, batches: Batch[]): Promise<void> {
  const residents = batches.flatMap((b) => b.residents.take());
  const doses = batches.flatMap((b) => b.doses.take());
  await copyChunks(client, `copy resident (${RESIDENT_COLUMNS}) from stdin with (freeze)`, residents);
  await copyChunks(client, 'copy vaccination_record (id, resident_id, dose, vaccine, administered_on, administered_at, at_home, recorded_by) from stdin with (freeze)', doses);
}
