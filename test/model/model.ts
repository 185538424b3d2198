/**
 * A reference model of the write API's state that matters for beds and cases: patients (status,
 * tier, ward), admissions, bed counters per facility and kind, quarantine orders, medicine package
 * stock per station (received, dispensed, adjusted) and the packages given, idempotency keys, and
 * who may change each. Pure and synchronous: `step` says what the API must answer to an operation and
 * what the state is afterwards, once every event has been applied.
 *
 * The order of the checks is the API's order, because the first failing check decides the answer:
 * role, then the record (unknown and foreign look alike to anyone but the city), then
 * jurisdiction, then the record's state, then placement, then capacity.
 */
import type { BedKind, TreatmentTier } from '../../subgraphs/common/domain/enums.js';

export type Ward = '00337' | '00331' | '10441';
export const WARDS: readonly Ward[] = ['00337', '00331', '10441'];
const DISTRICT_OF: Record<Ward, string> = { '00337': '008', '00331': '008', '10441': '282' };

export type Role = 'CITY_OFFICER' | 'DISTRICT_OFFICER' | 'WARD_OFFICER' | 'DASHBOARD' | 'PARTNER' | 'VACCINATOR';
export interface ViewerSpec {
  name: string;
  role: Role;
  ward?: Ward;
  district?: string;
}
export const VIEWERS: readonly ViewerSpec[] = [
  { name: 'city', role: 'CITY_OFFICER' },
  { name: 'district-008', role: 'DISTRICT_OFFICER', district: '008' },
  { name: 'district-282', role: 'DISTRICT_OFFICER', district: '282' },
  { name: 'ward-00337', role: 'WARD_OFFICER', ward: '00337' },
  { name: 'ward-00331', role: 'WARD_OFFICER', ward: '00331' },
  { name: 'ward-10441', role: 'WARD_OFFICER', ward: '10441' },
  { name: 'dashboard', role: 'DASHBOARD' },
  { name: 'partner', role: 'PARTNER' },
  { name: 'vaccinator-008', role: 'VACCINATOR', district: '008' },
];

const CLINICAL: readonly Role[] = ['CITY_OFFICER', 'DISTRICT_OFFICER', 'WARD_OFFICER'];
export const isClinical = (v: ViewerSpec) => CLINICAL.includes(v.role);
export const isCity = (v: ViewerSpec) => v.role === 'CITY_OFFICER';

export function covers(v: ViewerSpec, ward: Ward): boolean {
  switch (v.role) {
    case 'CITY_OFFICER':
      return true;
    case 'DISTRICT_OFFICER':
    case 'VACCINATOR':
      return v.district === DISTRICT_OF[ward];
    case 'WARD_OFFICER':
      return v.ward === ward;
    default:
      return false;
  }
}

/** Names, phones, addresses, dates of birth: clinical roles inside their jurisdiction only. */
export const mayReadPersonal = (v: ViewerSpec, ward: Ward) => isClinical(v) && covers(v, ward);

export type FacilityKind = 'HOSPITAL' | 'HEALTH_STATION' | 'COLLECTION_SITE' | 'QUARANTINE_AREA';
export interface FacilityModel {
  /** Suffix of the facility id; each run prefixes its own. */
  key: string;
  ward: Ward;
  kind: FacilityKind;
  level: 'WARD' | 'DISTRICT';
  active: boolean;
  servesTiers: TreatmentTier[];
  beds: Partial<Record<BedKind, { total: number; designated: number }>>;
}

/** Small bed counts, so that full facilities happen within a few steps. */
export const FACILITIES: readonly FacilityModel[] = [
  { key: 'H-00337', ward: '00337', kind: 'HOSPITAL', level: 'DISTRICT', active: true, servesTiers: ['TIER_1', 'TIER_2', 'TIER_3'], beds: { GENERAL: { total: 3, designated: 2 }, OXYGEN: { total: 1, designated: 1 }, ICU: { total: 1, designated: 1 } } },
  { key: 'TYT-00337', ward: '00337', kind: 'HEALTH_STATION', level: 'WARD', active: true, servesTiers: ['TIER_1'], beds: { GENERAL: { total: 2, designated: 2 } } },
  { key: 'QA-00337', ward: '00337', kind: 'QUARANTINE_AREA', level: 'DISTRICT', active: true, servesTiers: [], beds: { GENERAL: { total: 3, designated: 3 } } },
  { key: 'CS-00331', ward: '00331', kind: 'COLLECTION_SITE', level: 'DISTRICT', active: true, servesTiers: ['TIER_1', 'TIER_2'], beds: { GENERAL: { total: 2, designated: 2 }, OXYGEN: { total: 1, designated: 1 } } },
  { key: 'SB-00331', ward: '00331', kind: 'HOSPITAL', level: 'DISTRICT', active: false, servesTiers: ['TIER_1', 'TIER_2', 'TIER_3'], beds: { GENERAL: { total: 2, designated: 2 } } },
  { key: 'H-10441', ward: '10441', kind: 'HOSPITAL', level: 'DISTRICT', active: true, servesTiers: ['TIER_1', 'TIER_2', 'TIER_3'], beds: { GENERAL: { total: 1, designated: 1 }, OXYGEN: { total: 1, designated: 1 }, ICU: { total: 1, designated: 1 } } },
];

/** The one concentrated quarantine area (QA-00337). */
export const QUARANTINE_AREA = FACILITIES.findIndex((f) => f.kind === 'QUARANTINE_AREA');

export const TIERS: readonly TreatmentTier[] = ['TIER_1', 'TIER_2', 'TIER_3'];
export const BED_KINDS: readonly BedKind[] = ['GENERAL', 'OXYGEN', 'ICU'];
const BED_FOR_TIER: Record<TreatmentTier, BedKind> = { TIER_1: 'GENERAL', TIER_2: 'OXYGEN', TIER_3: 'ICU' };

export type PatientStatus = 'UNDER_TREATMENT' | 'RECOVERED' | 'DECEASED';
export type Outcome = 'RECOVERED' | 'TRANSFERRED_HOME' | 'DECEASED' | 'TRANSFERRED';

export interface PatientState {
  ward: Ward;
  tier: TreatmentTier;
  status: PatientStatus;
}
export interface AdmissionState {
  patient: number;
  facility: number;
  bedKind: BedKind;
  override: boolean;
  outcome: Outcome | null;
}
/** An F1 contact of a case, and the quarantine orders about contacts. */
export interface ContactState {
  ward: Ward;
  index: number;
}
export interface OrderState {
  contact: number;
  /** The quarantine area, or null for an order to stay at home. */
  facility: number | null;
  active: boolean;
}
export interface ModelState {
  contacts: ContactState[];
  orders: OrderState[];
  /** Orders in force per facility (quarantine areas count them as occupants). */
  stays: number[];
  patients: PatientState[];
  admissions: AdmissionState[];
  /** occupied[facility][kind] */
  occupied: Partial<Record<BedKind, number>>[];
  /** idempotency key slot → the admission it made */
  keys: Map<number, number>;
  /** Medicine package stock per facility (a station) and package: the three counters. */
  stock: Partial<Record<Package, StockCounters>>[];
  /** Packages given, in order. */
  dispenses: DispenseState[];
  /** `${viewer}/${slot}` → the stock movement (receipt or correction) that key recorded: keys are per writer. */
  stockKeys: Map<string, { kind: 'receiveStock' | 'adjustStock'; facility: number; pkg: Package; quantity: number }>;
  /** `${viewer}/${slot}` → the dispense that key recorded. */
  dispenseKeys: Map<string, DispenseState & { eligible: boolean; traced: boolean }>;
  /** Doses given to the run's residents (`RESIDENTS`), in the order recorded. */
  doses: DoseState[];
  /** idempotency key slot → the dose it recorded: one key space for every writer. */
  doseKeys: Map<number, DoseState>;
  /** Care assignments of home patients to the run's health workers (`WORKERS`), in the order made. */
  care: CareState[];
}

/** Health workers registered in every run (their home wards), nurses with the caps `CASELOAD_CAPS` (small, so that caps are reached). */
export const WORKERS: readonly Ward[] = ['00337', '00337', '00331', '10441'];
export const CASELOAD_CAPS: readonly number[] = [2, 1, 1, 1];
export interface CareState {
  patient: number;
  worker: number;
  active: boolean;
}
export const caseloadOf = (s: ModelState, worker: number) => s.care.filter((c) => c.worker === worker && c.active).length;
/** Care ends by itself when the case closes or the patient is admitted (workforce's projection). */
function endCareOf(s: ModelState, patient: number): void {
  for (const c of s.care) if (c.patient === patient) c.active = false;
}

/**
 * Residents seeded in every run (their wards), all born in 1970, so that each run's coverage is
 * the change of the (ward, 1970) counters since the run began. Two in ward 00337, so that a
 * writer may cover one ward's residents and not another's.
 */
export const RESIDENTS: readonly Ward[] = ['00337', '00337', '00331', '10441'];
export const RESIDENT_BIRTH_YEAR = 1970;
/** Doses are Pfizer-BioNTech (21 days between primary doses, booster 90 days after the last dose). */
export type DoseKind = 'PRIMARY_1' | 'PRIMARY_2' | 'BOOSTER';
export const DOSE_KINDS: readonly DoseKind[] = ['PRIMARY_1', 'PRIMARY_2', 'BOOSTER'];
/** The days a dose may be given on: 0, 14, 28, 56, 119, 154 days from the first, so too soon, in time and out of order all happen. */
export const DOSE_DAYS: readonly string[] = ['2025-01-06', '2025-01-20', '2025-02-03', '2025-03-03', '2025-05-05', '2025-06-09'];
const PRIMARY_INTERVAL_DAYS = 21;
const BOOSTER_AFTER_DAYS = 90;
export interface DoseState {
  resident: number;
  dose: DoseKind;
  /** Index in DOSE_DAYS. */
  day: number;
}
const VACCINATION_WRITERS: readonly Role[] = ['VACCINATOR', 'DISTRICT_OFFICER', 'CITY_OFFICER'];
const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / 86_400_000;

/** The coverage a resident's doses give: a first dose, the primary series complete, a booster. */
export function coverageOf(doses: readonly DoseState[]): { dose1: number; fully: number; boosted: number } {
  const primary = doses.filter((d) => d.dose !== 'BOOSTER').length;
  return { dose1: doses.length > 0 ? 1 : 0, fully: primary >= 2 ? 1 : 0, boosted: doses.some((d) => d.dose === 'BOOSTER') ? 1 : 0 };
}

export type Package = 'A' | 'B' | 'C';
export const PACKAGES: readonly Package[] = ['A', 'B', 'C'];
export interface StockCounters {
  received: number;
  dispensed: number;
  adjusted: number;
}
export const onHand = (c: StockCounters | undefined) => (c ? c.received - c.dispensed + c.adjusted : 0);
export interface DispenseState {
  patient: number;
  facility: number;
  pkg: Package;
}

export const initialState = (): ModelState => ({
  contacts: [],
  orders: [],
  stays: FACILITIES.map(() => 0),
  patients: [],
  admissions: [],
  occupied: FACILITIES.map(() => ({})),
  keys: new Map(),
  stock: FACILITIES.map(() => ({})),
  dispenses: [],
  stockKeys: new Map(),
  dispenseKeys: new Map(),
  doses: [],
  doseKeys: new Map(),
  care: [],
});

export const cloneState = (s: ModelState): ModelState => ({
  contacts: s.contacts.map((c) => ({ ...c })),
  orders: s.orders.map((o) => ({ ...o })),
  stays: [...s.stays],
  patients: s.patients.map((p) => ({ ...p })),
  admissions: s.admissions.map((a) => ({ ...a })),
  occupied: s.occupied.map((o) => ({ ...o })),
  keys: new Map(s.keys),
  stock: s.stock.map((f) => Object.fromEntries(Object.entries(f).map(([k, c]) => [k, { ...c }]))),
  dispenses: s.dispenses.map((d) => ({ ...d })),
  stockKeys: new Map(s.stockKeys),
  dispenseKeys: new Map(s.dispenseKeys),
  doses: s.doses.map((d) => ({ ...d })),
  doseKeys: new Map(s.doseKeys),
  care: s.care.map((c) => ({ ...c })),
});

/** A reference to a patient or an admission: `null` is an id nobody has (a random UUID). */
export type Ref = number | null;

export type Op =
  | { kind: 'registerPatient'; viewer: number; ward: Ward; tier: TreatmentTier }
  | { kind: 'changeTier'; viewer: number; patient: Ref; to: TreatmentTier }
  | { kind: 'closeCase'; viewer: number; patient: Ref; outcome: 'RECOVERED' | 'DECEASED' }
  | { kind: 'admitPatient'; viewer: number; patient: Ref; facility: number; bedKind: BedKind; key: number | null; override: boolean }
  | { kind: 'dischargePatient'; viewer: number; admission: Ref; outcome: 'RECOVERED' | 'TRANSFERRED_HOME' | 'DECEASED' }
  | { kind: 'transferPatient'; viewer: number; admission: Ref; facility: number; bedKind: BedKind; override: boolean }
  | { kind: 'recordContact'; viewer: number; patient: Ref; ward: Ward }
  | { kind: 'orderQuarantine'; viewer: number; contact: Ref; facility: number | null }
  | { kind: 'endQuarantine'; viewer: number; order: Ref }
  /** A delivery of 1–4 packages at a station. */
  | { kind: 'receiveStock'; viewer: number; facility: number; pkg: Package; quantity: number; key: number | null }
  /** A correction after a recount, signed, never 0. */
  | { kind: 'adjustStock'; viewer: number; facility: number; pkg: Package; quantity: number; key: number | null }
  /**
   * One package from a station to a patient. `eligible`: doctor's order, screening and consent
   * all given (B needs the order, C the other two); `traced`: the order reference and prescriber
   * sent (C needs both).
   */
  | { kind: 'dispenseMedicinePackage'; viewer: number; patient: Ref; facility: number; pkg: Package; eligible: boolean; traced: boolean; key: number | null }
  /** A Pfizer-BioNTech dose for a seeded resident (null: a citizen ID nobody registered) on `DOSE_DAYS[day]`. */
  | { kind: 'recordDose'; viewer: number; resident: Ref; dose: DoseKind; day: number; key: number | null }
  /** A named health worker of the run (`WORKERS`) to follow a home patient. */
  | { kind: 'assignCare'; viewer: number; patient: Ref; worker: number }
  | { kind: 'endCare'; viewer: number; patient: Ref };

/** 'OK' or the error's stable code. */
export type Answer = string;

class Refused extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}
const refuse = (code: string): never => {
  throw new Refused(code);
};

const occupiedOf = (s: ModelState, f: number, k: BedKind) => s.occupied[f]![k] ?? 0;

function placement(f: FacilityModel, tier: TreatmentTier, bedKind: BedKind, override: boolean): void {
  if (f.kind === 'QUARANTINE_AREA') refuse('NOT_A_TREATMENT_FACILITY');
  if (!f.servesTiers.includes(tier)) refuse('TIER_NOT_SERVED');
  if (bedKind !== BED_FOR_TIER[tier] && !override) refuse('BED_KIND_NOT_FOR_TIER');
  if (!f.active) refuse('FACILITY_NOT_ADMITTING');
}

function takeBed(s: ModelState, fi: number, kind: BedKind): void {
  const beds = FACILITIES[fi]!.beds[kind];
  if (!beds) refuse('BED_KIND_NOT_OFFERED');
  if (occupiedOf(s, fi, kind) >= beds!.designated) refuse('NO_BED_AVAILABLE');
  s.occupied[fi]![kind] = occupiedOf(s, fi, kind) + 1;
}

function endAdmission(s: ModelState, ai: number, outcome: Outcome): void {
  const a = s.admissions[ai]!;
  a.outcome = outcome;
  s.occupied[a.facility]![a.bedKind] = occupiedOf(s, a.facility, a.bedKind) - 1;
}

export const activeAdmissionOf = (s: ModelState, patient: number) => s.admissions.findIndex((a) => a.patient === patient && a.outcome === null);

/** The patient a patient-subgraph write names, after the role and jurisdiction checks. */
function patientFor(s: ModelState, v: ViewerSpec, ref: Ref): number {
  if (!isClinical(v)) refuse('FORBIDDEN');
  if (ref === null) refuse(isCity(v) ? 'NOT_FOUND' : 'FORBIDDEN');
  if (!covers(v, s.patients[ref!]!.ward)) refuse('FORBIDDEN');
  return ref!;
}

/** The admission a discharge or transfer names, after the checks of who may change it. */
function admissionFor(s: ModelState, v: ViewerSpec, ref: Ref, otherWards: Ward[]): number {
  if (ref === null) refuse(isCity(v) ? 'NOT_FOUND' : 'FORBIDDEN');
  const a = s.admissions[ref!]!;
  const wards = [FACILITIES[a.facility]!.ward, s.patients[a.patient]!.ward, ...otherWards];
  if (!wards.every((w) => covers(v, w))) refuse('FORBIDDEN');
  if (a.outcome !== null) refuse('ADMISSION_ENDED');
  return ref!;
}

function apply(s: ModelState, op: Op): void {
  const v = VIEWERS[op.viewer]!;
  switch (op.kind) {
    case 'registerPatient': {
      if (!isClinical(v) || !covers(v, op.ward)) refuse('FORBIDDEN');
      s.patients.push({ ward: op.ward, tier: op.tier, status: 'UNDER_TREATMENT' });
      return;
    }
    case 'changeTier': {
      const p = s.patients[patientFor(s, v, op.patient)]!;
      if (p.status !== 'UNDER_TREATMENT') refuse('PATIENT_NOT_UNDER_TREATMENT');
      if (p.tier === op.to) refuse('INVALID_TIER_TRANSITION');
      p.tier = op.to;
      return;
    }
    case 'closeCase': {
      const pi = patientFor(s, v, op.patient);
      const p = s.patients[pi]!;
      if (p.status !== 'UNDER_TREATMENT') refuse('PATIENT_NOT_UNDER_TREATMENT');
      p.status = op.outcome;
      // The facilities projection ends the admission with the same outcome.
      const active = activeAdmissionOf(s, pi);
      if (active >= 0) endAdmission(s, active, op.outcome);
      endCareOf(s, pi);
      return;
    }
    case 'admitPatient': {
      if (!isClinical(v)) refuse('FORBIDDEN');
      if (op.patient === null) refuse(isCity(v) ? 'NOT_FOUND' : 'FORBIDDEN');
      const pi = op.patient!;
      const p = s.patients[pi]!;
      const f = FACILITIES[op.facility]!;
      if (!covers(v, p.ward) || !covers(v, f.ward)) refuse('FORBIDDEN');
      if (op.key !== null && s.keys.has(op.key)) {
        const made = s.admissions[s.keys.get(op.key)!]!;
        const same = made.patient === pi && made.facility === op.facility && made.bedKind === op.bedKind && made.override === op.override;
        if (!same) refuse('CONFLICT');
        return; // a replay: the first admission, nothing written
      }
      if (p.status !== 'UNDER_TREATMENT') refuse('PATIENT_NOT_UNDER_TREATMENT');
      if (activeAdmissionOf(s, pi) >= 0) refuse('PATIENT_ALREADY_ADMITTED');
      placement(f, p.tier, op.bedKind, op.override);
      takeBed(s, op.facility, op.bedKind);
      s.admissions.push({ patient: pi, facility: op.facility, bedKind: op.bedKind, override: op.override, outcome: null });
      if (op.key !== null) s.keys.set(op.key, s.admissions.length - 1);
      endCareOf(s, pi);
      return;
    }
    case 'dischargePatient': {
      if (!isClinical(v)) refuse('FORBIDDEN');
      const ai = admissionFor(s, v, op.admission, []);
      endAdmission(s, ai, op.outcome);
      // The patients subgraph closes the case of a patient discharged recovered or dead.
      const p = s.patients[s.admissions[ai]!.patient]!;
      if (op.outcome !== 'TRANSFERRED_HOME' && p.status === 'UNDER_TREATMENT') p.status = op.outcome;
      return;
    }
    case 'recordContact': {
      // The contact's ward first, then the index case (unknown and foreign alike but for the city).
      if (!isClinical(v) || !covers(v, op.ward)) refuse('FORBIDDEN');
      if (op.patient === null) refuse(isCity(v) ? 'NOT_FOUND' : 'FORBIDDEN');
      if (!covers(v, s.patients[op.patient!]!.ward)) refuse('FORBIDDEN');
      s.contacts.push({ ward: op.ward, index: op.patient! });
      return;
    }
    case 'orderQuarantine': {
      if (op.contact === null) refuse(isCity(v) ? 'NOT_FOUND' : 'FORBIDDEN');
      const c = s.contacts[op.contact!]!;
      if (!isClinical(v) || !covers(v, c.ward)) refuse('FORBIDDEN');
      if (op.facility !== null) {
        const area = FACILITIES[op.facility]!;
        if (area.kind !== 'QUARANTINE_AREA') refuse('NOT_A_QUARANTINE_AREA');
        if (!covers(v, area.ward)) refuse('FORBIDDEN');
        if (!area.active) refuse('NOT_A_QUARANTINE_AREA');
        if (s.stays[op.facility]! + occupiedOf(s, op.facility, 'GENERAL') >= area.beds.GENERAL!.designated) refuse('QUARANTINE_AREA_FULL');
      }
      if (s.orders.some((o) => o.contact === op.contact && o.active)) refuse('CONTACT_ALREADY_QUARANTINED');
      s.orders.push({ contact: op.contact!, facility: op.facility, active: true });
      if (op.facility !== null) s.stays[op.facility]! += 1;
      return;
    }
    case 'endQuarantine': {
      if (op.order === null) refuse(isCity(v) ? 'NOT_FOUND' : 'FORBIDDEN');
      const o = s.orders[op.order!]!;
      const wards = [s.contacts[o.contact]!.ward, ...(o.facility === null ? [] : [FACILITIES[o.facility]!.ward])];
      if (!isClinical(v) || !wards.every((w) => covers(v, w))) refuse('FORBIDDEN');
      if (!o.active) refuse('QUARANTINE_ORDER_ENDED');
      o.active = false;
      if (o.facility !== null) s.stays[o.facility]! -= 1;
      return;
    }
    case 'receiveStock':
    case 'adjustStock': {
      // Role, then the station's ward, then the writer's key, then the stock.
      if (!isClinical(v) || !covers(v, FACILITIES[op.facility]!.ward)) refuse('FORBIDDEN');
      const slot = op.key === null ? null : `${op.viewer}/${op.key}`;
      if (slot !== null && s.stockKeys.has(slot)) {
        const was = s.stockKeys.get(slot)!;
        if (was.kind !== op.kind || was.facility !== op.facility || was.pkg !== op.pkg || was.quantity !== op.quantity) refuse('CONFLICT');
        return; // a replay: the first movement, nothing written
      }
      const counters = s.stock[op.facility]![op.pkg] ?? { received: 0, dispensed: 0, adjusted: 0 };
      if (onHand(counters) + op.quantity < 0) refuse('OUT_OF_STOCK');
      if (op.kind === 'receiveStock') counters.received += op.quantity;
      else counters.adjusted += op.quantity;
      s.stock[op.facility]![op.pkg] = counters;
      if (slot !== null) s.stockKeys.set(slot, { kind: op.kind, facility: op.facility, pkg: op.pkg, quantity: op.quantity });
      return;
    }
    case 'dispenseMedicinePackage': {
      // The role first (the field's scope: a non-clinical role learns nothing about its input),
      // then the input (C needs the order traced), then the station's ward, then the writer's
      // key, then the patient (unknown and foreign alike but for the city), its state,
      // eligibility, and last the stock.
      if (!isClinical(v)) refuse('FORBIDDEN');
      if (op.pkg === 'C' && !op.traced) refuse('VALIDATION_FAILED');
      if (!covers(v, FACILITIES[op.facility]!.ward)) refuse('FORBIDDEN');
      const slot = op.key === null ? null : `${op.viewer}/${op.key}`;
      if (slot !== null && s.dispenseKeys.has(slot)) {
        const was = s.dispenseKeys.get(slot)!;
        if (was.patient !== op.patient || was.facility !== op.facility || was.pkg !== op.pkg || was.eligible !== op.eligible || was.traced !== op.traced) refuse('CONFLICT');
        patientFor(s, v, op.patient);
        return; // a replay: the first dispense, nothing written
      }
      const p = s.patients[patientFor(s, v, op.patient)]!;
      if (p.status !== 'UNDER_TREATMENT') refuse('PATIENT_NOT_UNDER_TREATMENT');
      if (op.pkg !== 'A' && !op.eligible) refuse('NOT_ELIGIBLE');
      const counters = s.stock[op.facility]![op.pkg];
      if (onHand(counters) < 1) refuse('OUT_OF_STOCK');
      counters!.dispensed += 1;
      s.dispenses.push({ patient: op.patient!, facility: op.facility, pkg: op.pkg });
      if (slot !== null) s.dispenseKeys.set(slot, { patient: op.patient!, facility: op.facility, pkg: op.pkg, eligible: op.eligible, traced: op.traced });
      return;
    }
    case 'recordDose': {
      // Role, then the resident (unknown and foreign alike but for the city), then the key (one
      // space for all writers: the same dose is a replay, any other a conflict), then the history.
      if (!VACCINATION_WRITERS.includes(v.role)) refuse('FORBIDDEN');
      if (op.resident === null) refuse(isCity(v) ? 'NOT_FOUND' : 'FORBIDDEN');
      if (!covers(v, RESIDENTS[op.resident!]!)) refuse('FORBIDDEN');
      const given: DoseState = { resident: op.resident!, dose: op.dose, day: op.day };
      if (op.key !== null && s.doseKeys.has(op.key)) {
        const was = s.doseKeys.get(op.key)!;
        if (was.resident !== given.resident || was.dose !== given.dose || was.day !== given.day) refuse('CONFLICT');
        return; // a replay: the first record, nothing written
      }
      const history = s.doses.filter((d) => d.resident === op.resident);
      const on = dayNumber(DOSE_DAYS[op.day]!);
      if (history.some((d) => d.day === op.day)) refuse('DUPLICATE_DOSE');
      const last = Math.max(-Infinity, ...history.map((d) => dayNumber(DOSE_DAYS[d.day]!)));
      if (on < last) refuse('DOSE_OUT_OF_ORDER');
      const primary = history.filter((d) => d.dose !== 'BOOSTER');
      if (op.dose !== 'BOOSTER') {
        if (primary.length >= 2) refuse('DOSE_OUT_OF_ORDER');
        if (op.dose !== `PRIMARY_${primary.length + 1}`) refuse('DOSE_OUT_OF_ORDER');
        if (primary.length === 1 && on < dayNumber(DOSE_DAYS[primary[0]!.day]!) + PRIMARY_INTERVAL_DAYS) refuse('DOSE_TOO_SOON');
      } else {
        if (primary.length < 2) refuse('DOSE_OUT_OF_ORDER');
        if (on < last + BOOSTER_AFTER_DAYS) refuse('DOSE_TOO_SOON');
      }
      s.doses.push(given);
      if (op.key !== null) s.doseKeys.set(op.key, given);
      return;
    }
    case 'assignCare': {
      // Workforce's order: role, the patient (unknown and foreign alike but for the city), at home
      // under treatment, the worker (reachable: covers the patient's ward or is based in the
      // viewer's jurisdiction; then covers the patient's ward), an open assignment, the cap.
      const pi = patientFor(s, v, op.patient);
      const p = s.patients[pi]!;
      if (p.status !== 'UNDER_TREATMENT' || activeAdmissionOf(s, pi) >= 0) refuse('PATIENT_NOT_AT_HOME');
      const home = WORKERS[op.worker]!;
      if (home !== p.ward && !covers(v, home)) refuse(isCity(v) ? 'NOT_FOUND' : 'FORBIDDEN');
      if (home !== p.ward) refuse('WORKER_OUTSIDE_AREA');
      if (s.care.some((c) => c.patient === pi && c.active)) refuse('ALREADY_ASSIGNED');
      if (caseloadOf(s, op.worker) >= CASELOAD_CAPS[op.worker]!) refuse('CASELOAD_FULL');
      s.care.push({ patient: pi, worker: op.worker, active: true });
      return;
    }
    case 'endCare': {
      const pi = patientFor(s, v, op.patient);
      if (!s.care.some((c) => c.patient === pi && c.active)) refuse('NOT_FOUND');
      endCareOf(s, pi);
      return;
    }
    case 'transferPatient': {
      if (!isClinical(v)) refuse('FORBIDDEN');
      const target = FACILITIES[op.facility]!;
      const ai = admissionFor(s, v, op.admission, [target.ward]);
      const from = s.admissions[ai]!;
      if (from.facility === op.facility && from.bedKind === op.bedKind) refuse('VALIDATION_FAILED');
      const p = s.patients[from.patient]!;
      if (p.status !== 'UNDER_TREATMENT') refuse('PATIENT_NOT_UNDER_TREATMENT');
      placement(target, p.tier, op.bedKind, op.override);
      takeBed(s, op.facility, op.bedKind);
      endAdmission(s, ai, 'TRANSFERRED');
      s.admissions.push({ patient: from.patient, facility: op.facility, bedKind: op.bedKind, override: op.override, outcome: null });
      return;
    }
  }
}

/** The answer to `op` in state `s`, and the state after it (a refused operation changes nothing). */
export function step(s: ModelState, op: Op): { answer: Answer; next: ModelState } {
  const next = cloneState(s);
  try {
    apply(next, op);
    return { answer: 'OK', next };
  } catch (error) {
    if (error instanceof Refused) return { answer: error.code, next: s };
    throw error;
  }
}

/** Does `op` create a record whose id the API hands back (a patient, or an admission)? */
export function creates(before: ModelState, after: ModelState): { patient: boolean; admission: boolean } {
  return { patient: after.patients.length > before.patients.length, admission: after.admissions.length > before.admissions.length };
}

export function describeOp(op: Op): string {
  const v = VIEWERS[op.viewer]!.name;
  const ref = (r: Ref, what: string) => (r === null ? `unknown ${what}` : `${what} #${r}`);
  switch (op.kind) {
    case 'registerPatient':
      return `${v}: registerPatient(ward ${op.ward}, ${op.tier})`;
    case 'changeTier':
      return `${v}: changeTier(${ref(op.patient, 'patient')} → ${op.to})`;
    case 'closeCase':
      return `${v}: closeCase(${ref(op.patient, 'patient')}, ${op.outcome})`;
    case 'admitPatient':
      return `${v}: admitPatient(${ref(op.patient, 'patient')}, ${FACILITIES[op.facility]!.key}, ${op.bedKind}${op.key !== null ? `, key ${op.key}` : ''}${op.override ? ', override' : ''})`;
    case 'dischargePatient':
      return `${v}: dischargePatient(${ref(op.admission, 'admission')}, ${op.outcome})`;
    case 'recordContact':
      return `${v}: recordContact(${ref(op.patient, 'index patient')}, ward ${op.ward})`;
    case 'orderQuarantine':
      return `${v}: orderQuarantine(${ref(op.contact, 'contact')}, ${op.facility === null ? 'HOME' : FACILITIES[op.facility]!.key})`;
    case 'endQuarantine':
      return `${v}: endQuarantine(${ref(op.order, 'order')})`;
    case 'receiveStock':
    case 'adjustStock':
      return `${v}: ${op.kind}(${FACILITIES[op.facility]!.key}, package ${op.pkg}, ${op.quantity > 0 && op.kind === 'adjustStock' ? '+' : ''}${op.quantity}${op.key !== null ? `, key ${op.key}` : ''})`;
    case 'dispenseMedicinePackage':
      return `${v}: dispenseMedicinePackage(${ref(op.patient, 'patient')}, ${FACILITIES[op.facility]!.key}, package ${op.pkg}${op.eligible ? '' : ', not eligible'}${op.traced ? '' : ', no order reference'}${op.key !== null ? `, key ${op.key}` : ''})`;
    case 'recordDose':
      return `${v}: recordDose(${op.resident === null ? 'unknown resident' : `resident #${op.resident} (ward ${RESIDENTS[op.resident]})`}, ${op.dose}, ${DOSE_DAYS[op.day]}${op.key !== null ? `, key ${op.key}` : ''})`;
    case 'assignCare':
      return `${v}: assignCare(${ref(op.patient, 'patient')}, worker #${op.worker} (ward ${WORKERS[op.worker]}))`;
    case 'endCare':
      return `${v}: endCare(${ref(op.patient, 'patient')})`;
    case 'transferPatient':
      return `${v}: transferPatient(${ref(op.admission, 'admission')} → ${FACILITIES[op.facility]!.key}, ${op.bedKind}${op.override ? ', override' : ''})`;
  }
}
