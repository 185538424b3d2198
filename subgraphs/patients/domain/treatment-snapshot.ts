/** The treatment snapshot's arithmetic: pure, so the parts-sum rule is tested on its own. */
import { TREATMENT_TIERS, type CarePlace, type TreatmentTier } from '../../common/domain/enums.js';

export interface TreatmentSnapshot {
  date: string;
  districtCode: string | null;
  underTreatment: number;
  atHome: number;
  wardStations: number;
  districtCollectionSites: number;
  cityCollectionSites: number;
  hospitals: number;
  centralHospitals: number;
  /** Admitted before facilities recorded the report category with admissions. */
  facilitiesUncategorised: number;
  critical: number;
  byTier: { tier: TreatmentTier; count: number }[];
}

const FIELD_OF_PLACE: Record<CarePlace | 'FACILITY_UNKNOWN', keyof TreatmentSnapshot> = {
  HOME: 'atHome',
  WARD_STATION: 'wardStations',
  DISTRICT_COLLECTION_SITE: 'districtCollectionSites',
  CITY_COLLECTION_SITE: 'cityCollectionSites',
  HOSPITAL: 'hospitals',
  CENTRAL_HOSPITAL: 'centralHospitals',
  FACILITY_UNKNOWN: 'facilitiesUncategorised',
};

export function summarise(
  date: string,
  districtCode: string | null,
  groups: readonly { tier: TreatmentTier; place: CarePlace | 'FACILITY_UNKNOWN'; critical: boolean; count: number }[],
): TreatmentSnapshot {
  const snapshot: TreatmentSnapshot = {
    date,
    districtCode,
    underTreatment: 0,
    atHome: 0,
    wardStations: 0,
    districtCollectionSites: 0,
    cityCollectionSites: 0,
    hospitals: 0,
    centralHospitals: 0,
    facilitiesUncategorised: 0,
    critical: 0,
    byTier: TREATMENT_TIERS.map((tier) => ({ tier, count: 0 })),
  };
  for (const g of groups) {
    snapshot.underTreatment += g.count;
    (snapshot[FIELD_OF_PLACE[g.place]] as number) += g.count;
    if (g.critical) snapshot.critical += g.count;
    snapshot.byTier.find((t) => t.tier === g.tier)!.count += g.count;
  }
  return snapshot;
}
