/**
 * The demo city's geography and facilities, deterministic. Facility names follow the city's
 * real ones where we know them (central and city hospitals); the rest are named by kind and
 * place. Bed counts are chosen so that the 13 Jan 2022 snapshot fills them to about
 * two thirds.
 */
import { DISTRICTS, type DistrictUnit } from '../../subgraphs/common/admin-units.js';
import type { BedKind, TreatmentTier } from '../../subgraphs/common/domain/enums.js';
import type { FacilityKind, FacilityLevel, FacilityStatus, Ownership } from '../../subgraphs/facilities/domain/facility.js';
import { mobileStationsNeeded } from '../../subgraphs/facilities/domain/planning.js';
import { Random, apportion } from './random.js';

export interface WardPlan {
  code: string;
  districtCode: string;
  name: string;
  kind: string;
  population: number;
}

export interface BedPlan {
  kind: BedKind;
  total: number;
  covidDesignated: number;
}

/** Which snapshot group a facility's patients count in. */
export type OccupancyGroup = 'CENTRAL' | 'HOSPITAL' | 'CITY_SITE' | 'DISTRICT_SITE' | 'NONE';

export interface FacilityPlan {
  id: string;
  name: string;
  kind: FacilityKind;
  level: FacilityLevel;
  ownership: Ownership;
  status: FacilityStatus;
  wardCode: string;
  districtCode: string;
  servesTiers: TreatmentTier[];
  beds: BedPlan[];
  group: OccupancyGroup;
  /** Demo contacts citizens call: every ward health station has some. */
  contacts?: ContactPlan;
}

export interface ContactPlan {
  phones: string[];
  hotline: string | null;
  zaloGroups: { name: string; link: string }[];
  hours: string;
}

/**
 * Made-up but well-formed contacts of a ward health station: a Hanoi landline (024), a duty
 * mobile, the station's Zalo group. Deterministic per ward, never a real number of the city.
 */
export function demoStationContacts(ward: { code: string; name: string }): ContactPlan {
  const r = new Random(`contacts:${ward.code}`);
  const digits = (n: number) => Array.from({ length: n }, () => r.int(0, 9)).join('');
  return {
    phones: [`+84243${digits(7)}`, `+8498${digits(7)}`],
    hotline: null,
    zaloGroups: [{ name: `Hỗ trợ F0 ${ward.name}`, link: `https://zalo.me/g/hrgdemo${ward.code}` }],
    hours: '24/7 trong thời gian dịch',
  };
}

export interface GeographyPlan {
  districts: { code: string; name: string; kind: string; population: number }[];
  wards: WardPlan[];
}

export type Scale = 'small' | 'city';

/** The default scale is a tenth of the city, people and cases alike, so rates per capita are the city's. */
export const SCALE_FACTOR: Record<Scale, number> = { city: 1, small: 0.1 };

/**
 * Wards whose population we know better than an even split of their district: Hoàng Liệt, where
 * one health station serves "9 vạn người" (90,000 people) in the city's own words.
 */
const KNOWN_WARD_POPULATIONS: Record<string, number> = { '00337': 90_000 };

/** Districts and wards with their populations: the city's at `city` scale, a tenth at `small`. */
export function planGeography(scale: Scale = 'city'): GeographyPlan {
  const factor = SCALE_FACTOR[scale];
  const wards: WardPlan[] = [];
  const districts = DISTRICTS.map((d) => ({ code: d.code, name: d.name, kind: d.kind, population: Math.round(d.populationApprox * factor) }));
  for (const [i, d] of DISTRICTS.entries()) {
    const r = new Random(`ward-weights:${d.code}`);
    const weights = d.wards.map(() => 0.6 + r.next() * 0.8);
    const known = d.wards.map((w) => KNOWN_WARD_POPULATIONS[w.code]);
    const rest = apportion(
      d.populationApprox - known.reduce<number>((s, k) => s + (k ?? 0), 0),
      weights.map((w, j) => (known[j] === undefined ? w : 0)),
    );
    const city = d.wards.map((_, j) => known[j] ?? rest[j]!);
    // Scaled as a whole and split again, so that the wards still add up to their district.
    const populations = apportion(districts[i]!.population, city);
    d.wards.forEach((w, j) => wards.push({ code: w.code, districtCode: d.code, name: w.name, kind: w.kind, population: populations[j]! }));
  }
  return { districts, wards };
}

const beds = (kind: BedKind, total: number, share = 1): BedPlan => ({ kind, total, covidDesignated: Math.round(total * share) });
const shortName = (d: DistrictUnit) => d.name.replace(/^(Quận|Huyện|Thị xã) /, '');

/** Hospitals we name after the real ones: [district, name, level, ownership, GENERAL, OXYGEN, ICU]. */
const NAMED_HOSPITALS: [string, string, FacilityLevel, Ownership, number, number, number][] = [
  ['006', 'Bệnh viện Bạch Mai', 'CENTRAL', 'PUBLIC', 0, 120, 160],
  ['017', 'Bệnh viện Bệnh Nhiệt đới Trung ương cơ sở 2', 'CENTRAL', 'PUBLIC', 0, 150, 150],
  ['002', 'Bệnh viện Hữu nghị Việt Đức', 'CENTRAL', 'PUBLIC', 0, 40, 60],
  ['007', 'Bệnh viện Thanh Nhàn', 'CITY', 'PUBLIC', 300, 160, 24],
  ['004', 'Bệnh viện Đa khoa Đức Giang', 'CITY', 'PUBLIC', 300, 160, 24],
  ['268', 'Bệnh viện Đa khoa Hà Đông', 'CITY', 'PUBLIC', 300, 160, 24],
  ['017', 'Bệnh viện Bắc Thăng Long', 'CITY', 'PUBLIC', 240, 120, 16],
  ['001', 'Bệnh viện Đa khoa Xanh Pôn', 'CITY', 'PUBLIC', 240, 120, 20],
  ['006', 'Bệnh viện Đa khoa Đống Đa', 'CITY', 'PUBLIC', 200, 100, 12],
  ['016', 'Bệnh viện Đa khoa Sóc Sơn', 'CITY', 'PUBLIC', 200, 80, 8],
  ['269', 'Bệnh viện Đa khoa Sơn Tây', 'CITY', 'PUBLIC', 200, 80, 8],
  ['007', 'Bệnh viện Đa khoa Quốc tế Vinmec Times City', 'CITY', 'PRIVATE', 120, 40, 10],
  ['001', 'Bệnh viện Đa khoa Hồng Ngọc', 'CITY', 'PRIVATE', 100, 30, 6],
  ['003', 'Bệnh viện Đa khoa Quốc tế Thu Cúc', 'CITY', 'PRIVATE', 100, 30, 6],
];

const CITY_SITES: [string, string, number, number][] = [
  ['250', 'Cơ sở thu dung điều trị COVID-19 tập trung Mê Linh', 700, 120],
  ['018', 'Cơ sở thu dung điều trị COVID-19 Gia Lâm', 400, 80],
  ['021', 'Cơ sở thu dung điều trị COVID-19 Bắc Từ Liêm', 300, 60],
  ['019', 'Cơ sở thu dung điều trị COVID-19 Nam Từ Liêm', 250, 50],
  ['020', 'Cơ sở thu dung điều trị COVID-19 Thanh Trì', 250, 50],
  ['274', 'Cơ sở thu dung điều trị COVID-19 Hoài Đức', 200, 40],
  ['277', 'Cơ sở thu dung điều trị COVID-19 Chương Mỹ', 200, 30],
  ['017', 'Cơ sở thu dung điều trị COVID-19 Đông Anh', 250, 50],
];

export function planFacilities(geo: GeographyPlan): FacilityPlan[] {
  const out: FacilityPlan[] = [];
  const wardsOf = (districtCode: string) => geo.wards.filter((w) => w.districtCode === districtCode);
  for (const d of DISTRICTS) {
    const r = new Random(`facilities:${d.code}`);
    const urban = d.kind === 'URBAN_DISTRICT';
    const wards = wardsOf(d.code);
    for (const w of wards) {
      out.push({
        id: `HS-${w.code}`,
        name: `Trạm y tế ${w.name}`,
        kind: 'HEALTH_STATION',
        level: 'WARD',
        ownership: 'PUBLIC',
        status: 'ACTIVE',
        wardCode: w.code,
        districtCode: d.code,
        servesTiers: ['TIER_1'],
        beds: [beds('GENERAL', 5)],
        group: 'NONE',
        contacts: demoStationContacts(w),
      });
      // Mobile stations: about 70 % of what the population calls for, most already activated in
      // urban districts at the height of the wave, more on standby in rural ones.
      const planned = Math.round(mobileStationsNeeded(w.population) * 0.7);
      for (let i = 1; i <= planned; i++) {
        const roll = r.next();
        const status: FacilityStatus = roll < (urban ? 0.6 : 0.35) ? 'ACTIVE' : roll < 0.9 ? 'STANDBY' : 'PLANNED';
        out.push({
          id: `MS-${w.code}-${i}`,
          name: `Trạm y tế lưu động số ${i} ${w.name}`,
          kind: 'MOBILE_HEALTH_STATION',
          level: 'WARD',
          ownership: 'PUBLIC',
          status,
          wardCode: w.code,
          districtCode: d.code,
          servesTiers: ['TIER_1'],
          beds: [beds('GENERAL', 4), beds('OXYGEN', 2)],
          group: 'NONE',
        });
      }
    }
    // District collection and treatment sites (cơ sở thu dung): two in urban districts, one or two elsewhere.
    const sites = urban ? 2 : r.chance(0.5) ? 2 : 1;
    for (let i = 1; i <= sites; i++) {
      const w = r.pick(wards);
      out.push({
        id: `CS-${d.code}-${i}`,
        name: `Cơ sở thu dung điều trị COVID-19 số ${i} ${shortName(d)}`,
        kind: 'COLLECTION_SITE',
        level: 'DISTRICT',
        ownership: 'PUBLIC',
        status: 'ACTIVE',
        wardCode: w.code,
        districtCode: d.code,
        servesTiers: ['TIER_1', 'TIER_2'],
        beds: [beds('GENERAL', r.int(100, 220)), beds('OXYGEN', r.int(12, 24))],
        group: 'DISTRICT_SITE',
      });
    }
    // One district hospital, half of its beds reserved for COVID-19 (the city's 50 % rule).
    out.push({
      id: `H-${d.code}`,
      name: `Bệnh viện Đa khoa ${shortName(d)}`,
      kind: 'HOSPITAL',
      level: 'DISTRICT',
      ownership: 'PUBLIC',
      status: 'ACTIVE',
      wardCode: r.pick(wards).code,
      districtCode: d.code,
      servesTiers: ['TIER_1', 'TIER_2', 'TIER_3'],
      beds: [beds('GENERAL', r.int(120, 200), 0.5), beds('OXYGEN', r.int(40, 70), 0.5), beds('ICU', r.int(6, 12), 0.5)],
      group: 'HOSPITAL',
    });
    if (r.chance(0.2)) {
      out.push({
        id: `Q-${d.code}`,
        name: `Khu cách ly tập trung ${shortName(d)}`,
        kind: 'QUARANTINE_AREA',
        level: 'DISTRICT',
        ownership: 'PUBLIC',
        status: r.chance(0.5) ? 'ACTIVE' : 'STANDBY',
        wardCode: r.pick(wards).code,
        districtCode: d.code,
        servesTiers: [],
        beds: [beds('GENERAL', r.int(150, 400))],
        group: 'NONE',
      });
    }
  }
  NAMED_HOSPITALS.forEach(([districtCode, name, level, ownership, general, oxygen, icu], i) => {
    const r = new Random(`hospital:${name}`);
    // The table gives COVID-designated beds; central hospitals gave their whole wards to COVID-19,
    // city hospitals half of their beds.
    const share = level === 'CENTRAL' ? 1 : 0.5;
    const designated = (kind: BedKind, n: number): BedPlan => ({ kind, total: Math.round(n / share), covidDesignated: n });
    const list: BedPlan[] = [];
    if (general) list.push(designated('GENERAL', general));
    if (oxygen) list.push(designated('OXYGEN', oxygen));
    if (icu) list.push(designated('ICU', icu));
    out.push({
      id: `${level === 'CENTRAL' ? 'HC' : 'HH'}-${String(i + 1).padStart(2, '0')}`,
      name,
      kind: 'HOSPITAL',
      level,
      ownership,
      status: 'ACTIVE',
      wardCode: r.pick(wardsOf(districtCode)).code,
      districtCode,
      servesTiers: level === 'CENTRAL' ? ['TIER_2', 'TIER_3'] : ['TIER_1', 'TIER_2', 'TIER_3'],
      beds: list,
      group: level === 'CENTRAL' ? 'CENTRAL' : 'HOSPITAL',
    });
  });
  CITY_SITES.forEach(([districtCode, name, general, oxygen], i) => {
    const r = new Random(`city-site:${name}`);
    out.push({
      id: `CC-${String(i + 1).padStart(2, '0')}`,
      name,
      kind: 'COLLECTION_SITE',
      level: 'CITY',
      ownership: 'PUBLIC',
      status: 'ACTIVE',
      wardCode: r.pick(wardsOf(districtCode)).code,
      districtCode,
      servesTiers: ['TIER_1', 'TIER_2'],
      beds: [beds('GENERAL', general), beds('OXYGEN', oxygen)],
      group: 'CITY_SITE',
    });
  });
  return out;
}
