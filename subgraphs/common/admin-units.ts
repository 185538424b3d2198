/**
 * Hanoi's administrative units (General Statistics Office catalogue, 1 Nov 2021): 30 districts,
 * 579 wards and communes, official codes. Reference data every subgraph may read: it is what
 * jurisdiction is made of. Facilities owns the District and Ward entities built from it.
 */
import { readFileSync } from 'node:fs';

export type DistrictKind = 'URBAN_DISTRICT' | 'RURAL_DISTRICT' | 'TOWN';
export type WardKind = 'WARD' | 'COMMUNE' | 'TOWNSHIP';

export interface WardUnit {
  code: string;
  name: string;
  kind: WardKind;
  districtCode: string;
}

export interface DistrictUnit {
  code: string;
  name: string;
  kind: DistrictKind;
  /** Approximate population around the 2019 census (see the data file's note). */
  populationApprox: number;
  wards: WardUnit[];
}

interface RawFile {
  districts: { code: string; name: string; kind: DistrictKind; populationApprox: number; wards: { code: string; name: string; kind: WardKind }[] }[];
}

const raw = JSON.parse(readFileSync(new URL('./data/hanoi-admin-units.json', import.meta.url), 'utf8')) as RawFile;

export const DISTRICTS: readonly DistrictUnit[] = raw.districts.map((d) => ({
  code: d.code,
  name: d.name,
  kind: d.kind,
  populationApprox: d.populationApprox,
  wards: d.wards.map((w) => ({ code: w.code, name: w.name, kind: w.kind, districtCode: d.code })),
}));

export const WARDS: readonly WardUnit[] = DISTRICTS.flatMap((d) => d.wards);

const wardByCode = new Map(WARDS.map((w) => [w.code, w]));
const districtByCode = new Map(DISTRICTS.map((d) => [d.code, d]));

export const findWard = (code: string): WardUnit | undefined => wardByCode.get(code);
export const findDistrict = (code: string): DistrictUnit | undefined => districtByCode.get(code);
export const districtOfWard = (wardCode: string): string | undefined => wardByCode.get(wardCode)?.districtCode;
