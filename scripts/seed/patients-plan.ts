/**
 * The demo city's patients, shaped on the 13 January 2022 snapshot: 53,515 under
 * treatment, 95.1 % / 3.95 % / 0.95 % by tier; 5,820 in district collection sites, 1,335 in city
 * sites, 3,157 in hospitals, 351 in central hospitals, the rest at home; 2,836 new cases a day
 * (the city's rate in mid-January 2022). `--scale small` is a tenth of it, residents included,
 * so rates per capita (and so epidemic levels) are the city's. Dates are relative to the moment
 * of seeding, so "new in the last 7 days" and "overdue checks" mean something when the stack starts.
 */
import { DISTRICTS } from '../../subgraphs/common/admin-units.js';
import type { BedKind, CarePlace, TreatmentTier } from '../../subgraphs/common/domain/enums.js';
import { carePlaceOf } from '../../subgraphs/facilities/domain/facility.js';
import { ageInMonths, assess } from '../../subgraphs/patients/domain/warning-signs.js';
import { riskFactorsFor } from '../../subgraphs/patients/domain/risk.js';
import { cityDate } from '../../subgraphs/common/graphql/scalars.js';
import { SCALE_FACTOR, type FacilityPlan, type GeographyPlan, type OccupancyGroup, type Scale } from './facilities-plan.js';
import { Random, apportion, uuidFor } from './random.js';

export type { Scale };

/**
 * `newPerDay`: the city's new cases a day in mid-January 2022 (2,836). With 53,515 under
 * treatment that is about 19 days of cases, so active cases are confirmed evenly over the last
 * active / newPerDay days.
 */
const SNAPSHOT = { active: 53_515, newPerDay: 2_836, tier1Share: 0.951, tier3Share: 0.0095, recovered: 30_000, deaths: 120, critical: 36 };

/** Facility patients per snapshot group and bed kind (sums: 351 central, 3,157 hospitals, 1,335 city sites, 5,820 district sites). */
const OCCUPANCY: Record<Exclude<OccupancyGroup, 'NONE'>, Partial<Record<BedKind, number>>> = {
  CENTRAL: { ICU: 250, OXYGEN: 101 },
  HOSPITAL: { ICU: 258, OXYGEN: 1_200, GENERAL: 1_699 },
  CITY_SITE: { OXYGEN: 300, GENERAL: 1_035 },
  DISTRICT_SITE: { OXYGEN: 400, GENERAL: 5_420 },
};

const TIER_OF_BED: Record<BedKind, TreatmentTier> = { GENERAL: 'TIER_1', OXYGEN: 'TIER_2', ICU: 'TIER_3' };

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Phan', 'Vũ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý', 'Đinh', 'Trịnh'];
const MIDDLE_F = ['Thị', 'Thu', 'Ngọc', 'Thanh', 'Minh', 'Phương', 'Hồng'];
const MIDDLE_M = ['Văn', 'Đức', 'Minh', 'Quang', 'Hữu', 'Thanh', 'Công'];
const GIVEN_F = ['Anh', 'Hà', 'Hạnh', 'Hương', 'Lan', 'Linh', 'Mai', 'Nga', 'Ngọc', 'Phương', 'Thảo', 'Trang', 'Yến', 'Hoa', 'Huyền'];
const GIVEN_M = ['Bình', 'Dũng', 'Hải', 'Hùng', 'Khánh', 'Long', 'Minh', 'Nam', 'Quân', 'Sơn', 'Tuấn', 'Việt', 'Đạt', 'Hiếu', 'Trung'];
const STREETS = ['Giải Phóng', 'Kim Giang', 'Tam Trinh', 'Lĩnh Nam', 'Trường Chinh', 'Láng', 'Cầu Giấy', 'Nguyễn Trãi', 'Minh Khai', 'Bạch Mai'];

export interface PatientPlan {
  id: string;
  caseNumber: number;
  caseCode: string;
  fullName: string;
  dateOfBirth: string;
  sex: 'FEMALE' | 'MALE';
  nationalId: string | null;
  phone: string | null;
  wardCode: string;
  districtCode: string;
  address: string;
  confirmedAt: Date;
  confirmation: 'PCR' | 'RAPID_ANTIGEN';
  riskFactors: string[];
  tier: TreatmentTier;
  status: 'UNDER_TREATMENT' | 'RECOVERED' | 'DECEASED';
  endedAt: Date | null;
  admission: { id: string; facilityId: string; bedKind: BedKind; admittedAt: Date; carePlace: CarePlace | null } | null;
  tierChanges: { from: TreatmentTier; to: TreatmentTier; at: Date; reason: string }[];
  checks: CheckPlan[];
  /** Recorded critical (nguy kịch) at this moment: some tier-3 patients in ICU beds. */
  criticalSince: Date | null;
}

export interface CheckPlan {
  at: Date;
  spo2: number;
  temperatureC: number;
  respiratoryRate: number;
  heartRate: number;
  symptoms: string[];
  warningSigns: string[];
  needsEscalation: boolean;
  suggestedTier: TreatmentTier;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function planPatients(scale: Scale, geo: GeographyPlan, facilities: FacilityPlan[], now: Date): PatientPlan[] {
  const factor = SCALE_FACTOR[scale];
  const r = new Random(`patients:${scale}`);
  const wardsByDistrict = new Map<string, typeof geo.wards>();
  for (const w of geo.wards) wardsByDistrict.set(w.districtCode, [...(wardsByDistrict.get(w.districtCode) ?? []), w]);
  // Cases per resident: urban districts ran well ahead of rural ones and the town (about three
  // to one in the city's district counts of mid-January 2022, as we read them: an approximation).
  const urbanWeight = new Map(DISTRICTS.map((d) => [d.code, d.kind === 'URBAN_DISTRICT' ? 1.4 : 0.45]));
  const cityWeights = geo.wards.map((w) => w.population * (urbanWeight.get(w.districtCode) ?? 1));
  const pickWard = (districtCode?: string) => {
    if (!districtCode) return geo.wards[r.weighted(cityWeights)]!;
    const pool = wardsByDistrict.get(districtCode)!;
    return pool[r.weighted(pool.map((w) => w.population))]!;
  };

  const patients: PatientPlan[] = [];
  let n = 0;
  const person = (tier: TreatmentTier, wardCode: string, districtCode: string, status: PatientPlan['status'], confirmedAt: Date): PatientPlan => {
    n += 1;
    const female = r.chance(0.5);
    const age = tier === 'TIER_3' ? r.int(55, 92) : tier === 'TIER_2' ? r.int(35, 85) : r.int(1, 80);
    const birthYear = cityDate(now).slice(0, 4) as unknown as number;
    const dob = `${Number(birthYear) - age}-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}`;
    const adult = age >= 14;
    const centuryDigit = (Number(dob.slice(0, 4)) >= 2000 ? 2 : 0) + (female ? 1 : 0);
    const riskDeclared = [
      ...(r.chance(age >= 50 ? 0.35 : 0.08) ? (['COMORBIDITY'] as const) : []),
      ...(r.chance(0.06) ? (['UNVACCINATED'] as const) : []),
      ...(female && age >= 20 && age <= 40 && r.chance(0.03) ? (['PREGNANCY'] as const) : []),
    ];
    return {
      id: uuidFor(`${scale}:patient:${n}`),
      caseNumber: n,
      caseCode: `F0-${districtCode}-${String(n).padStart(6, '0')}`,
      fullName: `${r.pick(FAMILY)} ${r.pick(female ? MIDDLE_F : MIDDLE_M)} ${r.pick(female ? GIVEN_F : GIVEN_M)}`,
      dateOfBirth: dob,
      sex: female ? 'FEMALE' : 'MALE',
      nationalId: adult ? `001${centuryDigit}${dob.slice(2, 4)}${String(n).padStart(6, '0')}` : null,
      phone: adult ? `09${String(r.int(0, 99_999_999)).padStart(8, '0')}`.replace(/^0/, '+84') : null,
      wardCode,
      districtCode,
      address: `Số ${r.int(1, 200)} ngõ ${r.int(1, 300)} ${r.pick(STREETS)}`,
      confirmedAt,
      confirmation: r.chance(0.7) ? 'RAPID_ANTIGEN' : 'PCR',
      riskFactors: riskFactorsFor(riskDeclared, age),
      tier,
      status,
      endedAt: null,
      admission: null,
      tierChanges: [],
      checks: [],
      criticalSince: null,
    };
  };
  // Evenly over the window, so that every day of the last week has the city's daily rate.
  const activeWindow = (SNAPSHOT.active / SNAPSHOT.newPerDay) * DAY;
  const activeConfirmedAt = () => new Date(now.getTime() - r.next() * activeWindow);

  // Patients in facility beds.
  const facilityPatients = { TIER_1: 0, TIER_2: 0, TIER_3: 0 };
  let critical = 0;
  for (const [group, byKind] of Object.entries(OCCUPANCY) as [Exclude<OccupancyGroup, 'NONE'>, Partial<Record<BedKind, number>>][]) {
    for (const [kind, count] of Object.entries(byKind) as [BedKind, number][]) {
      const candidates = facilities.filter((f) => f.group === group && f.beds.some((b) => b.kind === kind));
      const capacities = candidates.map((f) => f.beds.find((b) => b.kind === kind)!.covidDesignated);
      const perFacility = apportion(Math.round(count * factor), capacities);
      candidates.forEach((facility, i) => {
        for (let k = 0; k < perFacility[i]!; k++) {
          const local = facility.level === 'DISTRICT' || facility.level === 'WARD';
          const ward = pickWard(local ? facility.districtCode : undefined);
          const tier = TIER_OF_BED[kind];
          const confirmedAt = activeConfirmedAt();
          const p = person(tier, ward.code, ward.districtCode, 'UNDER_TREATMENT', confirmedAt);
          const admittedAt = new Date(confirmedAt.getTime() + r.next() * Math.min(2 * DAY, now.getTime() - confirmedAt.getTime()));
          p.admission = { id: uuidFor(`${scale}:admission:${p.id}`), facilityId: facility.id, bedKind: kind, admittedAt, carePlace: carePlaceOf(facility.kind, facility.level) };
          if (tier !== 'TIER_1') {
            p.tierChanges.push({ from: 'TIER_1', to: tier, at: admittedAt, reason: tier === 'TIER_3' ? 'SpO2 dưới 94 %, thở nhanh' : 'SpO2 94–96 %, khó thở khi gắng sức' });
          }
          facilityPatients[tier] += 1;
          if (kind === 'ICU' && critical < Math.round(SNAPSHOT.critical * factor)) {
            critical += 1;
            p.criticalSince = admittedAt;
          }
          patients.push(p);
        }
      });
    }
  }

  // Patients at home, by district (urban districts hit harder) and ward population.
  const total = Math.round(SNAPSHOT.active * factor);
  const tier1 = Math.round(total * SNAPSHOT.tier1Share);
  const tier3 = Math.round(total * SNAPSHOT.tier3Share);
  const home = { TIER_1: tier1 - facilityPatients.TIER_1, TIER_2: total - tier1 - tier3 - facilityPatients.TIER_2, TIER_3: Math.max(0, tier3 - facilityPatients.TIER_3) };
  const districtWeights = geo.districts.map((d) => d.population * (urbanWeight.get(d.code) ?? 1));
  for (const tier of ['TIER_1', 'TIER_2', 'TIER_3'] as const) {
    const perDistrict = apportion(Math.max(0, home[tier]), districtWeights);
    geo.districts.forEach((d, i) => {
      for (let k = 0; k < perDistrict[i]!; k++) {
        const ward = pickWard(d.code);
        const p = person(tier, ward.code, d.code, 'UNDER_TREATMENT', activeConfirmedAt());
        if (tier !== 'TIER_1') p.tierChanges.push({ from: 'TIER_1', to: tier, at: new Date(p.confirmedAt.getTime() + DAY), reason: 'SpO2 94–96 %' });
        p.checks = planChecks(r, p, now);
        patients.push(p);
      }
    });
  }

  // Closed cases of the weeks before: recoveries and deaths.
  const closed = (count: number, status: 'RECOVERED' | 'DECEASED') => {
    const perDistrict = apportion(Math.round(count * factor), districtWeights);
    geo.districts.forEach((d, i) => {
      for (let k = 0; k < perDistrict[i]!; k++) {
        const ward = pickWard(d.code);
        const confirmedAt = new Date(now.getTime() - (12 + r.next() * 30) * DAY);
        const p = person(status === 'DECEASED' ? 'TIER_3' : 'TIER_1', ward.code, d.code, status, confirmedAt);
        p.endedAt = new Date(confirmedAt.getTime() + (7 + r.next() * 5) * DAY);
        patients.push(p);
      }
    });
  };
  closed(SNAPSHOT.recovered, 'RECOVERED');
  closed(SNAPSHOT.deaths, 'DECEASED');
  return patients;
}

/** One check a day since confirmation; about 8 % of home patients are overdue (no check for 26 to 60 hours). */
function planChecks(r: Random, p: PatientPlan, now: Date): CheckPlan[] {
  const checks: CheckPlan[] = [];
  const overdue = r.chance(0.08);
  const last = overdue ? now.getTime() - (26 + r.next() * 34) * HOUR : now.getTime() - r.next() * 20 * HOUR;
  for (let t = last; t > p.confirmedAt.getTime(); t -= DAY) {
    const unwell = p.tier !== 'TIER_1' || r.chance(0.03);
    const vitals = {
      spo2: unwell ? r.int(93, 96) : r.int(97, 99),
      temperatureC: Math.round((36.5 + r.next() * (unwell ? 2.2 : 1.2)) * 10) / 10,
      respiratoryRate: unwell ? r.int(18, 24) : r.int(14, 19),
      heartRate: r.int(65, unwell ? 115 : 95),
      symptoms: r.chance(0.6) ? [r.pick(['COUGH', 'SORE_THROAT', 'FATIGUE', 'FEVER', 'HEADACHE'] as const)] : [],
    };
    const at = new Date(t);
    const assessment = assess(vitals, ageInMonths(p.dateOfBirth, cityDate(at)), p.tier);
    checks.push({ at, ...vitals, ...assessment });
  }
  return checks.reverse();
}
