/**
 * The resident registry and its doses, streamed into PostgreSQL with COPY: a few thousand
 * residents at `--scale small`, the city's ~8 million and ~20 million doses at `--scale city`.
 * Coverage counters and daily progress are then computed from the loaded rows in SQL, the same
 * numbers recordDose keeps up to date afterwards.
 *
 * Vaccination by mid-January 2022 (Hanoi's reports): nearly every adult with a first dose, most
 * with two, boosters under way since December; adolescents 12–17 mostly with two doses; children
 * 5–11 not started (their campaign began in April 2022).
 */
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { subgraphDatabaseUrl } from '../../subgraphs/common/db/database.js';
import type { GeographyPlan } from './facilities-plan.js';
import type { PatientPlan, Scale } from './patients-plan.js';
import { Random } from './random.js';
import type { Progress } from './write.js';

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
const NAMES = ['Nguyễn Văn An', 'Trần Thị Bình', 'Lê Văn Cường', 'Phạm Thị Dung', 'Hoàng Văn Em', 'Vũ Thị Gấm', 'Đỗ Văn Hải', 'Bùi Thị Khuyên'];
const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);

interface Counts {
  residents: number;
  doses: number;
}

/** Tab-separated COPY text escaping. */
const esc = (v: string | number | boolean | null) => (v === null ? '\\N' : String(v).replace(/\\/g, '\\\\').replace(/\t/g, ' ').replace(/\n/g, ' '));
const line = (values: (string | number | boolean | null)[]) => `${values.map(esc).join('\t')}\n`;

function* generate(scale: Scale, geo: GeographyPlan, patients: PatientPlan[], now: Date, counts: Counts): Generator<{ resident: string; doses: string[] }> {
  const year = now.getUTCFullYear();
  const divisor = scale === 'city' ? 1 : 2_000;
  const buckets = new Map<string, number>();
  const patientIds = new Set(patients.map((p) => p.nationalId).filter(Boolean));
  const byWard = new Map<string, PatientPlan[]>();
  for (const p of patients) if (p.nationalId) byWard.set(p.wardCode, [...(byWard.get(p.wardCode) ?? []), p]);
  const start = Date.parse('2021-07-01T00:00:00Z');
  const end = now.getTime() - DAY;

  for (const ward of geo.wards) {
    const r = new Random(`residents:${scale}:${ward.code}`);
    const people: { nationalId: string; name: string; dob: string }[] = [];
    for (const p of byWard.get(ward.code) ?? []) people.push({ nationalId: p.nationalId!, name: p.fullName, dob: p.dateOfBirth });
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
      people.push({ nationalId, name: r.pick(NAMES), dob: `${birthYear}-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}` });
    }
    for (let i = 0; i < people.length; i++) {
      const person = people[i]!;
      const age = year - Number(person.dob.slice(0, 4));
      const id = `R-${ward.code}-${String(i + 1).padStart(7, '0')}`;
      const comorbid = r.chance(age >= 50 ? 0.3 : 0.05);
      const homebound = age >= 65 && r.chance(0.08);
      const student = age >= 6 && age <= 17;
      // Probabilities by age: first dose, complete primary series, booster.
      const [p1, p2, pb] = age < 5 ? [0, 0, 0] : age < 12 ? [0, 0, 0] : age < 18 ? [0.97, 0.92, 0] : age < 50 ? [0.995, 0.97, 0.35] : age < 65 ? [0.99, 0.96, 0.55] : [0.97, 0.93, 0.5];
      const doses: string[] = [];
      let state = { doses: 0, primary: 0, fully: false, boosted: false, completed: null as string | null, last: null as string | null };
      if (r.chance(p1)) {
        const vaccine = VACCINES[r.weighted(VACCINE_WEIGHTS)]!;
        const needed = PRIMARY[vaccine];
        let t = start + r.next() * (end - start - 120 * DAY);
        const wantsFull = r.chance(p2 / p1);
        for (let k = 1; k <= needed && (k === 1 || wantsFull); k++) {
          if (t > end) break;
          doses.push(line([`PRIMARY_${k}`, vaccine, iso(t)]));
          state = { ...state, doses: state.doses + 1, primary: k, last: iso(t) };
          if (k === needed) state = { ...state, fully: true, completed: iso(t) };
          t += (INTERVAL[vaccine] + r.int(0, 14)) * DAY;
        }
        if (state.fully && r.chance(pb / p2)) {
          const tb = Date.parse(`${state.last}T00:00:00Z`) + (90 + r.int(0, 40)) * DAY;
          if (tb <= end) {
            doses.push(line(['BOOSTER', r.pick(['PFIZER_BIONTECH', 'MODERNA', 'ASTRAZENECA'] as const), iso(tb)]));
            state = { ...state, doses: state.doses + 1, boosted: true, last: iso(tb) };
          }
        }
      }
      counts.residents += 1;
      counts.doses += doses.length;
      yield {
        resident: line([
          id,
          person.nationalId,
          person.name,
          person.dob,
          ward.code,
          ward.districtCode,
          comorbid,
          homebound,
          student,
          state.doses,
          state.primary,
          state.boosted,
          state.fully,
          state.completed,
          state.last,
        ]),
        doses: doses.map((d) => `${id}\t${d}`),
      };
    }
  }
}

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
    await client.query('create temporary table dose_load (resident_id text, dose text, vaccine text, administered_on date) on commit drop');
    await copyInBatches(client, scale, geo, patients, now, counts, expected, progress);
    progress(`  doses              writing ${counts.doses} dose records with their indexes${scale === 'city' ? ' (several minutes at city scale)' : ''}…`);
    await client.query(`
      insert into vaccination_record (resident_id, dose, vaccine, administered_at, administered_on, at_home, recorded_by)
      select resident_id, dose, vaccine, (administered_on + time '09:00') at time zone 'Asia/Ho_Chi_Minh', administered_on, false, 'seed' from dose_load`);
    progress('  computing coverage counters and daily progress…');
    await client.query(`
      insert into coverage (ward_code, district_code, birth_year, population, dose1, fully, boosted)
      select ward_code, district_code, extract(year from date_of_birth)::smallint,
             count(*), count(*) filter (where doses > 0), count(*) filter (where fully_vaccinated), count(*) filter (where boosted)
        from resident group by 1, 2, 3`);
    await client.query(`
      insert into dose_day (ward_code, district_code, day, dose, count)
      select r.ward_code, r.district_code, v.administered_on, v.dose, count(*)
        from vaccination_record v join resident r on r.id = v.resident_id group by 1, 2, 3, 4`);
    await client.query('commit');
    await client.query('analyze resident; analyze vaccination_record; analyze coverage');
    progress(`  residents          ${counts.residents} residents, ${counts.doses} doses in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return counts;
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}

async function copyInBatches(client: pg.Client, scale: Scale, geo: GeographyPlan, patients: PatientPlan[], now: Date, counts: Counts, expected: number, progress: Progress) {
  const generator = generate(scale, geo, patients, now, counts);
  let done = false;
  let lastReport = 0;
  while (!done) {
    const residentLines: string[] = [];
    const doseLines: string[] = [];
    while (residentLines.length < 100_000) {
      const next = generator.next();
      if (next.done) {
        done = true;
        break;
      }
      residentLines.push(next.value.resident);
      doseLines.push(...next.value.doses);
    }
    if (residentLines.length) {
      await pipeline(
        Readable.from(residentLines),
        client.query(
          copyFrom(
            'copy resident (id, national_id, full_name, date_of_birth, ward_code, district_code, comorbidities, homebound, student, doses, primary_doses, boosted, fully_vaccinated, primary_completed_on, last_dose_on) from stdin',
          ),
        ),
      );
    }
    if (doseLines.length) {
      await pipeline(Readable.from(doseLines), client.query(copyFrom('copy dose_load (resident_id, dose, vaccine, administered_on) from stdin')));
    }
    if (Date.now() - lastReport > 1_000 || done) {
      lastReport = Date.now();
      const pct = Math.min(100, Math.round((counts.residents / Math.max(1, expected)) * 100));
      progress(`  residents      ${String(counts.residents).padStart(9)} / ~${expected}  ${'█'.repeat(Math.floor(pct / 5)).padEnd(20, '·')} ${pct}%  (${counts.doses} doses)`);
    }
  }
}
