/**
 * Drives the real stack through the gateway with the operations of the reference model, and
 * checks after every step that the API answered what the model answers and that the databases
 * hold what the model holds. Shared by the jest run (a few hundred steps) and `npm run fuzz`.
 */
import fc from 'fast-check';
import { sql, type Kysely } from 'kysely';
import { connectSubgraphDatabase, type Database } from '../../subgraphs/common/db/database.js';
import type { BedKind, TreatmentTier } from '../../subgraphs/common/domain/enums.js';
import { TOPICS } from '../../subgraphs/common/events/catalog.js';
import { cityDate } from '../../subgraphs/common/graphql/scalars.js';
import { ASSESSOR } from '../../subgraphs/patients/index.js';
import { createFacilities, seedGeography } from '../support/builders.js';
import { gql, token, type GraphQLResponse } from '../support/client.js';
import type { TestDatabase } from '../support/database.js';
import { patientInput, REGISTER } from '../support/patients.js';
import { outboxPositions, startStack, type Stack } from '../support/stack.js';
import {
  BED_KINDS,
  CASELOAD_CAPS,
  caseloadOf,
  WORKERS,
  coverageOf,
  describeOp,
  DOSE_DAYS,
  DOSE_KINDS,
  RESIDENT_BIRTH_YEAR,
  RESIDENTS,
  FACILITIES,
  initialState,
  step,
  activeAdmissionOf,
  onHand,
  PACKAGES,
  TIERS,
  VIEWERS,
  covers,
  isClinical,
  mayReadPersonal,
  QUARANTINE_AREA,
  WARDS,
  type Answer,
  type ModelState,
  type Op,
  type Package,
  type Ref,
  type Ward,
} from './model.js';

const BED_FOR_TIER: Record<TreatmentTier, BedKind> = { TIER_1: 'GENERAL', TIER_2: 'OXYGEN', TIER_3: 'ICU' };
const UNKNOWN_ID = '3f2a0c7e-0000-4000-8000-000000000000';
const OVERRIDE_REASON = 'No bed of the tier free nearby; placed here until one frees';

const M = {
  changeTier: `mutation($input: ChangeTierInput!) { changeTier(input: $input) { __typename ... on Error { code } } }`,
  closeCase: `mutation($input: CloseCaseInput!) { closeCase(input: $input) { __typename ... on Error { code } } }`,
  admitPatient: `mutation($input: AdmitPatientInput!) { admitPatient(input: $input) { __typename ... on AdmitPatientSuccess { admission { id } } ... on Error { code } } }`,
  dischargePatient: `mutation($input: DischargePatientInput!) { dischargePatient(input: $input) { __typename ... on Error { code } } }`,
  recordContact: `mutation($input: RecordContactInput!) { recordContact(input: $input) { __typename ... on RecordContactSuccess { contact { id } } ... on Error { code } } }`,
  orderQuarantine: `mutation($input: OrderQuarantineInput!) { orderQuarantine(input: $input) { __typename ... on OrderQuarantineSuccess { order { id } } ... on Error { code } } }`,
  endQuarantine: `mutation($input: EndQuarantineInput!) { endQuarantine(input: $input) { __typename ... on Error { code } } }`,
  transferPatient: `mutation($input: TransferPatientInput!) { transferPatient(input: $input) { __typename ... on TransferPatientSuccess { transfer { to { id } } } ... on Error { code } } }`,
  receiveStock: `mutation($input: ReceiveStockInput!) { receiveStock(input: $input) { __typename ... on Error { code } } }`,
  adjustStock: `mutation($input: AdjustStockInput!) { adjustStock(input: $input) { __typename ... on Error { code } } }`,
  dispenseMedicinePackage: `mutation($input: DispenseMedicineInput!) { dispenseMedicinePackage(input: $input) { __typename ... on Error { code } } }`,
  recordDose: `mutation($input: RecordDoseInput!) { recordDose(input: $input) { __typename ... on Error { code } } }`,
  assignCare: `mutation($input: AssignCareInput!) { assignCare(input: $input) { __typename ... on Error { code } } }`,
  endCare: `mutation($patientId: ID!) { endCare(patientId: $patientId) { __typename ... on Error { code } } }`,
  registerWorker: `mutation($input: RegisterHealthWorkerInput!) { registerHealthWorker(input: $input) { __typename ... on RegisterHealthWorkerSuccess { worker { id } } ... on Error { code message } } }`,
  registerResident: `mutation($input: RegisterResidentInput!) { registerResident(input: $input) { __typename ... on Error { code message } } }`,
};

export interface Harness {
  db: TestDatabase;
  stack: Stack;
  tokens: string[];
  facilities: Database<any>;
  patients: Database<any>;
  /** Steps run so far, over all runs. */
  steps: number;
  runs: number;
  /** How often each operation got each answer: shows whether the runs reach the interesting states. */
  answers: Map<string, number>;
  /** Wall time per phase of a step (ms), to show where a run's time goes. */
  phases: Map<string, number>;
  /** Decision numbers handed out (unique per ward, so unique here). */
  decisions: number;
  onStep?: (steps: number) => void;
  close(): Promise<void>;
}

export async function startHarness(db: TestDatabase): Promise<Harness> {
  await seedGeography(db);
  const stack = await startStack(db);
  // The epidemic assessment re-assesses the wards a step touched, through the gateway, a quarter
  // second later: none of the model's state, but most of the work of a step. Stopped here.
  stack.subgraphs.patients.runtime.service(ASSESSOR).stop();
  const tokens = await Promise.all(VIEWERS.map((v) => token(v.role as never, { ward: v.ward, district: v.district, subject: `model-${v.name}` })));
  const facilities = connectSubgraphDatabase<any>('facilities', db.roleUrl('facilities'), { maxConnections: 2 });
  const patients = connectSubgraphDatabase<any>('patients', db.roleUrl('patients'), { maxConnections: 2 });
  return {
    db,
    stack,
    tokens,
    facilities,
    patients,
    steps: 0,
    runs: 0,
    answers: new Map(),
    phases: new Map(),
    decisions: 0,
    async close() {
      await facilities.close();
      await patients.close();
      await stack.close();
    },
  };
}

/** One run of commands: its own facilities (so runs never share beds), patients and admissions. */
export interface Run {
  h: Harness;
  prefix: string;
  facilityIds: string[];
  patientIds: string[];
  /** The full name each registered patient was given, by id: what must not leak. */
  names: Map<string, string>;
  admissionIds: string[];
  contactIds: string[];
  orderIds: string[];
  /** The citizen IDs of the run's residents (`RESIDENTS`). */
  residentIds: string[];
  /** The ids of the run's health workers (`WORKERS`). */
  workerIds: string[];
  /** The coverage (per ward) and doses-per-day counters (per ward, day and kind) when the run began. */
  baseline: { coverage: Map<string, Coverage>; doseDays: Map<string, number> };
  trace: string[];
}
type Coverage = { population: number; dose1: number; fully: number; boosted: number };
export interface Model {
  s: ModelState;
}

/** What a generated command names, resolved against the model state when it runs. */
export interface Pick {
  kind: Op['kind'];
  viewer: number;
  /** Pick, by `viewer`, among the clinical officers who cover every ward the write touches. */
  cover: boolean;
  unknown: boolean;
  n: number;
  ward: Ward;
  tier: TreatmentTier;
  facility: number;
  followTier: boolean;
  bedKind: BedKind;
  key: number | null;
  override: boolean;
  outcome: 0 | 1 | 2;
  /** In a concurrent pair: a discharge of the admission of the patient the other write closes. */
  closing?: boolean;
  /** After the step: who reads the personal data of which patient. */
  reader: number;
  read: number;
}

function ref(unknown: boolean, n: number, length: number): Ref {
  return unknown || length === 0 ? null : n % length;
}

export function resolve(pick: Pick, s: ModelState): Op {
  // Nothing to name yet: make the record first.
  let p = pick;
  if (s.patients.length === 0 && p.kind !== 'registerPatient' && !p.unknown) p = { ...p, kind: 'registerPatient' };
  if (s.admissions.length === 0 && (p.kind === 'dischargePatient' || p.kind === 'transferPatient') && !p.unknown) p = { ...p, kind: 'admitPatient' };
  if (s.orders.length === 0 && p.kind === 'endQuarantine' && !p.unknown) p = { ...p, kind: 'orderQuarantine' };
  if (s.contacts.length === 0 && p.kind === 'orderQuarantine' && !p.unknown) p = { ...p, kind: 'recordContact' };
  const op = resolveFor(p, s);
  if (!p.cover) return op;
  const wards = wardsTouched(op, s);
  const writer = op.kind === 'recordDose' ? (v: (typeof VIEWERS)[number]) => ['VACCINATOR', 'DISTRICT_OFFICER', 'CITY_OFFICER'].includes(v.role) : isClinical;
  // Stock writes: every other time the writer covers a random ward (a dispense: the patient's)
  // and the station is whichever the pick named, so that receipts at a station outside the
  // writer's jurisdiction and writers who cover the patient but not the station come up often.
  // Doses likewise: every other time the writer covers a random ward, not the resident's.
  const loose = ((op.kind === 'receiveStock' || op.kind === 'adjustStock' || op.kind === 'dispenseMedicinePackage') && p.n % 2 === 1) || (op.kind === 'recordDose' && p.read % 2 === 1);
  const covered = loose ? (op.kind === 'dispenseMedicinePackage' && op.patient !== null ? [s.patients[op.patient]!.ward] : [p.ward]) : wards;
  const covering = VIEWERS.map((v, i) => [v, i] as const).filter(([v]) => writer(v) && covered.every((w) => covers(v, w)));
  // (`viewer` leans to the city and district officers, who cover most wards: a loose write takes
  // its writer uniformly among those covering the ward instead.)
  return { ...op, viewer: covering[(loose ? p.reader : p.viewer) % covering.length]![1] };
}

function wardsTouched(op: Op, s: ModelState): Ward[] {
  const ofPatient = (r: Ref) => (r === null ? [] : [s.patients[r]!.ward]);
  const ofAdmission = (r: Ref) => (r === null ? [] : [s.patients[s.admissions[r]!.patient]!.ward, FACILITIES[s.admissions[r]!.facility]!.ward]);
  switch (op.kind) {
    case 'registerPatient':
      return [op.ward];
    case 'changeTier':
    case 'closeCase':
      return ofPatient(op.patient);
    case 'admitPatient':
      return [...ofPatient(op.patient), FACILITIES[op.facility]!.ward];
    case 'dischargePatient':
      return ofAdmission(op.admission);
    case 'transferPatient':
      return [...ofAdmission(op.admission), FACILITIES[op.facility]!.ward];
    case 'recordContact':
      return [op.ward, ...ofPatient(op.patient)];
    case 'orderQuarantine':
      return op.contact === null ? [] : [s.contacts[op.contact]!.ward, ...(op.facility === null ? [] : [FACILITIES[op.facility]!.ward])];
    case 'endQuarantine': {
      if (op.order === null) return [];
      const o = s.orders[op.order]!;
      return [s.contacts[o.contact]!.ward, ...(o.facility === null ? [] : [FACILITIES[o.facility]!.ward])];
    }
    case 'receiveStock':
    case 'adjustStock':
      return [FACILITIES[op.facility]!.ward];
    case 'dispenseMedicinePackage':
      return [...ofPatient(op.patient), FACILITIES[op.facility]!.ward];
    case 'recordDose':
      return op.resident === null ? [] : [RESIDENTS[op.resident]!];
    case 'assignCare':
    case 'endCare':
      return ofPatient(op.patient);
  }
}

/**
 * Four times in five the dose that comes next for the resident, on the first allowed day or up to
 * two later (the first allowed day minus one now and then: too soon); otherwise any dose on any day.
 */
function doseFor(p: Pick, s: ModelState, resident: Ref): { dose: (typeof DOSE_KINDS)[number]; day: number } {
  if (resident === null || !p.followTier) return { dose: DOSE_KINDS[p.outcome]!, day: p.n % DOSE_DAYS.length };
  const history = s.doses.filter((d) => d.resident === resident);
  const primary = history.filter((d) => d.dose !== 'BOOSTER').length;
  const dose = primary === 0 ? 'PRIMARY_1' : primary === 1 ? 'PRIMARY_2' : 'BOOSTER';
  const last = Math.max(-1, ...history.map((d) => d.day));
  return { dose, day: Math.min(DOSE_DAYS.length - 1, Math.max(0, last + 1 + (p.n % 3) - (p.n % 5 === 0 ? 1 : 0))) };
}

/**
 * Three times in four a station and package that has stock, if any, so that dispenses get through
 * to the last package; but for a loose write (odd `n`: its writer covers a random ward, see
 * `resolve`) any station, uniformly, independent of the writer.
 */
function stocked(p: Pick, s: ModelState): { facility: number; pkg: Package } {
  if (p.n % 2 === 1 && p.n % 4 === 1) return { facility: p.facility, pkg: PACKAGES[p.outcome]! };
  const held = s.stock.flatMap((byPkg, facility) => PACKAGES.filter((pkg) => onHand(byPkg[pkg]) > 0).map((pkg) => ({ facility, pkg })));
  return p.n % 4 !== 0 && held.length ? held[p.facility % held.length]! : { facility: p.facility, pkg: PACKAGES[p.outcome]! };
}

function resolveFor(p: Pick, s: ModelState): Op {
  // Three references in four name a patient under treatment or an active admission, if any.
  const live = s.patients.map((q, i) => [q, i] as const).filter(([q]) => q.status === 'UNDER_TREATMENT').map(([, i]) => i);
  const active = s.admissions.map((a, i) => [a, i] as const).filter(([a]) => a.outcome === null).map(([, i]) => i);
  const preferLive = p.n % 4 !== 0;
  const patient = preferLive && live.length && !p.unknown ? live[p.n % live.length]! : ref(p.unknown, p.n, s.patients.length);
  const admission = preferLive && active.length && !p.unknown ? active[p.n % active.length]! : ref(p.unknown, p.n, s.admissions.length);
  // Mostly the bed kind the patient's tier needs, so that admissions get through to capacity.
  const bedFor = (patientIndex: Ref) => (p.followTier && patientIndex !== null ? BED_FOR_TIER[s.patients[patientIndex]!.tier] : p.bedKind);
  switch (p.kind) {
    case 'registerPatient':
      return { kind: p.kind, viewer: p.viewer, ward: p.ward, tier: p.tier };
    case 'changeTier':
      return { kind: p.kind, viewer: p.viewer, patient, to: p.tier };
    case 'closeCase':
      return { kind: p.kind, viewer: p.viewer, patient, outcome: p.outcome === 2 ? 'DECEASED' : 'RECOVERED' };
    case 'admitPatient':
      return { kind: p.kind, viewer: p.viewer, patient, facility: p.facility, bedKind: bedFor(patient), key: p.key, override: p.override };
    case 'dischargePatient':
      return { kind: p.kind, viewer: p.viewer, admission, outcome: (['RECOVERED', 'TRANSFERRED_HOME', 'DECEASED'] as const)[p.outcome] };
    case 'recordContact':
      return { kind: p.kind, viewer: p.viewer, patient: ref(p.unknown, p.n, s.patients.length), ward: p.ward };
    case 'orderQuarantine':
      // At home, in the quarantine area, or (to be refused) in any facility.
      return { kind: p.kind, viewer: p.viewer, contact: ref(p.unknown, p.n, s.contacts.length), facility: p.outcome === 0 ? null : p.outcome === 1 ? QUARANTINE_AREA : p.facility };
    case 'endQuarantine': {
      const inForce = s.orders.map((o, i) => [o, i] as const).filter(([o]) => o.active).map(([, i]) => i);
      return { kind: p.kind, viewer: p.viewer, order: preferLive && inForce.length && !p.unknown ? inForce[p.n % inForce.length]! : ref(p.unknown, p.n, s.orders.length) };
    }
    case 'receiveStock':
      return { kind: p.kind, viewer: p.viewer, facility: p.facility, pkg: PACKAGES[p.outcome]!, quantity: 1 + (p.n % 4), key: p.key };
    case 'adjustStock': {
      const at = stocked(p, s);
      return { kind: p.kind, viewer: p.viewer, ...at, quantity: [-3, -2, -1, 1, 2][p.n % 5]!, key: p.key };
    }
    case 'dispenseMedicinePackage':
      return { kind: p.kind, viewer: p.viewer, patient, ...stocked(p, s), eligible: !p.override, traced: p.followTier, key: p.key };
    case 'assignCare': {
      // Mostly a worker of the patient's ward, so that caseloads fill up.
      const mine = WORKERS.map((w, i) => [w, i] as const).filter(([w]) => patient !== null && w === s.patients[patient]!.ward).map(([, i]) => i);
      return { kind: p.kind, viewer: p.viewer, patient, worker: p.followTier && mine.length ? mine[p.facility % mine.length]! : p.facility % WORKERS.length };
    }
    case 'endCare': {
      const cared = s.care.filter((c) => c.active).map((c) => c.patient);
      return { kind: p.kind, viewer: p.viewer, patient: preferLive && cared.length && !p.unknown ? cared[p.n % cared.length]! : patient };
    }
    case 'recordDose': {
      const resident = p.unknown ? null : p.n % RESIDENTS.length;
      return { kind: p.kind, viewer: p.viewer, resident, ...doseFor(p, s, resident), key: p.key };
    }
    case 'transferPatient':
      return {
        kind: p.kind,
        viewer: p.viewer,
        admission,
        facility: p.facility,
        bedKind: bedFor(admission === null ? null : s.admissions[admission]!.patient),
        override: p.override,
      };
  }
}

/** The answer's stable code: 'OK', the typed error's code, or the GraphQL error's code. */
function answerOf(field: string, res: GraphQLResponse): Answer {
  if (res.errors?.length) return [...new Set(res.errors.map((e) => e.extensions?.code ?? `UNCODED(${e.message})`))].join('+');
  const result = res.data?.[field as never] as { __typename: string; code?: string } | undefined;
  if (!result) return `NO_DATA(HTTP ${res.status})`;
  return result.__typename.endsWith('Success') ? 'OK' : (result.code ?? result.__typename);
}

/** Sends `op` through the gateway; answers with the code and the id of any record it made. */
async function execute(run: Run, op: Op): Promise<{ answer: Answer; id?: string }> {
  const auth = { token: run.h.tokens[op.viewer]! };
  const url = run.h.stack.gateway.url;
  const patientId = (r: Ref) => (r === null ? UNKNOWN_ID : run.patientIds[r]!);
  const admissionId = (r: Ref) => (r === null ? UNKNOWN_ID : run.admissionIds[r]!);
  switch (op.kind) {
    case 'registerPatient': {
      const input = patientInput({ wardCode: op.ward, tier: op.tier, nationalId: null, ...PERSON });
      const res = await gql(url, REGISTER, { input }, auth);
      const id: string | undefined = res.data?.registerPatient?.patient?.id;
      if (id) run.names.set(id, input.fullName as string);
      return { answer: answerOf('registerPatient', res), id };
    }
    case 'changeTier': {
      const res = await gql(url, M.changeTier, { input: { patientId: patientId(op.patient), to: op.to, reason: 'model-based test step' } }, auth);
      return { answer: answerOf('changeTier', res) };
    }
    case 'closeCase': {
      const res = await gql(url, M.closeCase, { input: { patientId: patientId(op.patient), outcome: op.outcome } }, auth);
      return { answer: answerOf('closeCase', res) };
    }
    case 'admitPatient': {
      const input = {
        patientId: patientId(op.patient),
        facilityId: run.facilityIds[op.facility],
        bedKind: op.bedKind,
        ...(op.key !== null ? { idempotencyKey: `${run.prefix}key-${op.key}` } : {}),
        ...(op.override ? { bedKindOverrideReason: OVERRIDE_REASON } : {}),
      };
      const res = await gql(url, M.admitPatient, { input }, auth);
      return { answer: answerOf('admitPatient', res), id: res.data?.admitPatient?.admission?.id };
    }
    case 'dischargePatient': {
      const res = await gql(url, M.dischargePatient, { input: { admissionId: admissionId(op.admission), outcome: op.outcome } }, auth);
      return { answer: answerOf('dischargePatient', res) };
    }
    case 'recordContact': {
      const input = {
        indexPatientId: patientId(op.patient),
        fullName: 'Trần Thị Tiếp Xúc',
        dateOfBirth: '1990-03-04',
        sex: 'FEMALE',
        wardCode: op.ward,
        address: 'Số 3 ngõ 5 Linh Đường',
        exposure: 'HOUSEHOLD',
        exposedOn: cityDate(new Date()),
      };
      const res = await gql(url, M.recordContact, { input }, auth);
      return { answer: answerOf('recordContact', res), id: res.data?.recordContact?.contact?.id };
    }
    case 'orderQuarantine': {
      const today = cityDate(new Date());
      const input = {
        contactId: op.contact === null ? UNKNOWN_ID : run.contactIds[op.contact]!,
        place: op.facility === null ? 'HOME' : 'QUARANTINE_AREA',
        ...(op.facility === null ? {} : { facilityId: run.facilityIds[op.facility] }),
        decisionNumber: `${run.prefix}${++run.h.decisions}/QĐ`,
        startsOn: today,
        plannedEndOn: today,
      };
      const res = await gql(url, M.orderQuarantine, { input }, auth);
      return { answer: answerOf('orderQuarantine', res), id: res.data?.orderQuarantine?.order?.id };
    }
    case 'endQuarantine': {
      const input = { orderId: op.order === null ? UNKNOWN_ID : run.orderIds[op.order]!, decisionNumber: `${run.prefix}${++run.h.decisions}/QĐ`, endedOn: cityDate(new Date()), reason: 'COMPLETED' };
      const res = await gql(url, M.endQuarantine, { input }, auth);
      return { answer: answerOf('endQuarantine', res) };
    }
    case 'receiveStock':
    case 'adjustStock': {
      const input = {
        facilityId: run.facilityIds[op.facility],
        item: `MEDICINE_PACKAGE_${op.pkg}`,
        quantity: op.quantity,
        reason: op.kind === 'receiveStock' ? 'Delivery from the district warehouse' : 'Recount at the end of the shift',
        ...(op.key !== null ? { idempotencyKey: `${run.prefix}stock-key-${op.key}` } : {}),
      };
      const res = await gql(url, M[op.kind], { input }, auth);
      return { answer: answerOf(op.kind, res) };
    }
    case 'dispenseMedicinePackage': {
      const input = {
        patientId: patientId(op.patient),
        package: op.pkg,
        doctorOrder: op.eligible,
        screened: op.eligible,
        consent: op.eligible,
        stationId: run.facilityIds[op.facility],
        ...(op.traced ? { orderReference: 'ĐT-2026/117', prescriber: 'BS. Nguyễn Văn Kê Đơn' } : {}),
        ...(op.key !== null ? { idempotencyKey: `${run.prefix}dispense-key-${op.key}` } : {}),
      };
      const res = await gql(url, M.dispenseMedicinePackage, { input }, auth);
      return { answer: answerOf('dispenseMedicinePackage', res) };
    }
    case 'assignCare': {
      const res = await gql(url, M.assignCare, { input: { patientId: patientId(op.patient), workerId: run.workerIds[op.worker] } }, auth);
      return { answer: answerOf('assignCare', res) };
    }
    case 'endCare': {
      const res = await gql(url, M.endCare, { patientId: patientId(op.patient) }, auth);
      return { answer: answerOf('endCare', res) };
    }
    case 'recordDose': {
      const input = {
        nationalId: op.resident === null ? '001099999999' : run.residentIds[op.resident]!,
        dose: op.dose,
        vaccine: 'PFIZER_BIONTECH',
        administeredAt: `${DOSE_DAYS[op.day]}T02:00:00Z`,
        ...(op.key !== null ? { idempotencyKey: `${run.prefix}dose-key-${op.key}` } : {}),
      };
      const res = await gql(url, M.recordDose, { input }, auth);
      return { answer: answerOf('recordDose', res) };
    }
    case 'transferPatient': {
      const input = {
        admissionId: admissionId(op.admission),
        toFacilityId: run.facilityIds[op.facility],
        bedKind: op.bedKind,
        ...(op.override ? { bedKindOverrideReason: OVERRIDE_REASON } : {}),
      };
      const res = await gql(url, M.transferPatient, { input }, auth);
      return { answer: answerOf('transferPatient', res), id: res.data?.transferPatient?.transfer?.to?.id };
    }
  }
}

/** Records the ids the API handed back for the records the model says the operation made. */
function adopt(run: Run, before: ModelState, after: ModelState, id: string | undefined): void {
  if (after.patients.length > before.patients.length) run.patientIds.push(id!);
  if (after.admissions.length > before.admissions.length) run.admissionIds.push(id!);
  if (after.contacts.length > before.contacts.length) run.contactIds.push(id!);
  if (after.orders.length > before.orders.length) run.orderIds.push(id!);
}

export class InvariantBroken extends Error {}
function expectEqual(what: string, actual: unknown, expected: unknown, run: Run): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new InvariantBroken(`${what}\n  expected: ${e}\n  actual:   ${a}\n  trace:\n    ${run.trace.join('\n    ')}`);
}

/** Topics the background services publish on their own schedule, not because of a step. */
const BACKGROUND_TOPICS = [TOPICS.epidemicLevelChanged, TOPICS.epidemicLevelDeclared];

/**
 * The events every outbox gained since `heads` (`outboxPositions` before the step), save the
 * background services' own: read by position, so the cost is the step's events, not the outbox.
 */
async function eventsSince(run: Run, heads: Map<string, number>): Promise<string[]> {
  const events = await Promise.all(
    Object.values(run.h.stack.subgraphs).map(async (s) =>
      (
        await sql<{ e: string }>`select topic || ' ' || key as e from outbox where position > ${heads.get(s.name) ?? 0} and topic <> all(${BACKGROUND_TOPICS}::text[]) order by position`.execute(
          s.runtime.db,
        )
      ).rows.map((r) => `${s.name}: ${r.e}`),
    ),
  );
  return events.flat();
}

/** The databases as the model sees them, after every event was applied. */
async function observe(run: Run): Promise<Observed> {
  const f: Kysely<any> = run.h.facilities.db;
  const ids = run.patientIds;
  // Concurrent, each on a connection of its own pool: one wait instead of four.
  const p: Kysely<any> = run.h.patients.db;
  const v: Kysely<any> = run.h.stack.subgraphs.vaccination.runtime.db;
  const w: Kysely<any> = run.h.stack.subgraphs.workforce.runtime.db;
  const [beds, admissions, known, patients, orders, stays, stock, movements, dispenses, doses, residents, coverage, doseDays, care, workers] = await Promise.all([
    sql<Observed['beds'][number]>`
      select b.facility_id, b.kind, b.occupied, b.covid_designated,
        (select count(*)::int from admission a where a.facility_id = b.facility_id and a.bed_kind = b.kind and a.discharged_at is null) as active
      from bed b where b.facility_id = any(${run.facilityIds}::text[]) order by b.facility_id, b.kind`.execute(f),
    sql<Observed['admissions'][number]>`
      select id, patient_id, facility_id, bed_kind, outcome, discharged_at from admission where facility_id = any(${run.facilityIds}::text[])`.execute(f),
    sql<Observed['known'][number]>`select id, status, tier from known_patient where id = any(${ids}::text[])`.execute(f),
    sql<Observed['patients'][number]>`select id, status, tier, ward_code from patient where id = any(${ids}::uuid[])`.execute(run.h.patients.db),
    sql<Observed['orders'][number]>`
      select id, contact_id, facility_id, ended_on is null as active from quarantine_order where id = any(${run.orderIds}::uuid[])`.execute(run.h.patients.db),
    sql<Observed['stays'][number]>`
      select facility_id, count(*)::int as n from quarantine_stay where active and facility_id = any(${run.facilityIds}::text[]) group by facility_id`.execute(f),
    sql<Observed['stock'][number]>`
      select facility_id, item, received, dispensed, adjusted, on_hand from supply_stock where facility_id = any(${run.facilityIds}::text[]) order by facility_id, item`.execute(p),
    // The recount: the movements summed per place and item.
    sql<Observed['movements'][number]>`
      select facility_id, item,
          coalesce(sum(quantity) filter (where kind = 'RECEIVED'), 0)::int as received,
          coalesce(sum(quantity) filter (where kind = 'DISPENSED'), 0)::int as dispensed,
          coalesce(sum(quantity) filter (where kind = 'ADJUSTED'), 0)::int as adjusted
        from supply_movement where facility_id = any(${run.facilityIds}::text[]) group by facility_id, item order by facility_id, item`.execute(p),
    sql<Observed['dispenses'][number]>`
      select patient_id, facility_id, package from medicine_package where facility_id = any(${run.facilityIds}::text[])`.execute(p),
    sql<Observed['doses'][number]>`
      select r.national_id, v.dose, v.administered_on::text as day from vaccination_record v join resident r on r.id = v.resident_id
        where r.national_id = any(${run.residentIds}::text[])`.execute(v),
    sql<Observed['residents'][number]>`
      select national_id, doses, primary_doses, boosted, last_dose_on::text as last_dose_on from resident where national_id = any(${run.residentIds}::text[])`.execute(v),
    coverageRows(v),
    doseDayRows(v),
    sql<Observed['care'][number]>`select patient_id, worker_id, ended_at is null as active from care_assignment where worker_id = any(${run.workerIds}::text[])`.execute(w),
    sql<Observed['workers'][number]>`select id, caseload from health_worker where id = any(${run.workerIds}::text[])`.execute(w),
  ]);
  return {
    beds: beds.rows,
    admissions: admissions.rows,
    known: known.rows,
    patients: patients.rows,
    orders: orders.rows,
    stays: stays.rows,
    stock: stock.rows,
    movements: movements.rows,
    dispenses: dispenses.rows,
    doses: doses.rows,
    residents: residents.rows,
    coverage,
    doseDays,
    care: care.rows,
    workers: workers.rows,
  };
}

/** The coverage counters of the model's residents' (ward, year of birth) rows, by ward. */
async function coverageRows(v: Kysely<any>): Promise<Map<string, Coverage>> {
  const rows = await sql<Coverage & { ward_code: string }>`
    select ward_code, population, dose1, fully, boosted from coverage where birth_year = ${RESIDENT_BIRTH_YEAR} and ward_code = any(${WARDS}::text[])`.execute(v);
  return new Map(rows.rows.map((r) => [r.ward_code, { population: r.population, dose1: r.dose1, fully: r.fully, boosted: r.boosted }]));
}

/** The doses-per-day counters of the model's wards and days, by `ward day dose`. */
async function doseDayRows(v: Kysely<any>): Promise<Map<string, number>> {
  const rows = await sql<{ k: string; count: number }>`
    select ward_code || ' ' || day::text || ' ' || dose as k, count from dose_day where day = any(${DOSE_DAYS}::date[]) and ward_code = any(${WARDS}::text[])`.execute(v);
  return new Map(rows.rows.map((r) => [r.k, r.count]));
}
interface Observed {
  beds: { facility_id: string; kind: BedKind; occupied: number; covid_designated: number; active: number }[];
  admissions: { id: string; patient_id: string; facility_id: string; bed_kind: BedKind; outcome: string | null; discharged_at: Date | null }[];
  known: { id: string; status: string; tier: string }[];
  patients: { id: string; status: string; tier: string; ward_code: string }[];
  orders: { id: string; contact_id: string; facility_id: string | null; active: boolean }[];
  stays: { facility_id: string; n: number }[];
  stock: { facility_id: string; item: string; received: number; dispensed: number; adjusted: number; on_hand: number }[];
  movements: { facility_id: string; item: string; received: number; dispensed: number; adjusted: number; }[];
  dispenses: { patient_id: string; facility_id: string; package: string }[];
  doses: { national_id: string; dose: string; day: string }[];
  residents: { national_id: string; doses: number; primary_doses: number; boosted: boolean; last_dose_on: string | null }[];
  coverage: Map<string, Coverage>;
  doseDays: Map<string, number>;
  care: { patient_id: string; worker_id: string; active: boolean }[];
  workers: { id: string; caseload: number }[];
}

/** The model's state in the shape `observe` reads the databases. */
function expected(run: Run, s: ModelState) {
  const beds = FACILITIES.flatMap((f, i) =>
    BED_KINDS.filter((k) => f.beds[k]).map((k) => ({ facility: run.facilityIds[i]!, kind: k, occupied: s.occupied[i]![k] ?? 0 })),
  ).sort((a, b) => (a.facility + a.kind < b.facility + b.kind ? -1 : 1));
  const admissions = s.admissions
    .map((a, i) => ({ id: run.admissionIds[i]!, patient: run.patientIds[a.patient]!, facility: run.facilityIds[a.facility]!, kind: a.bedKind, outcome: a.outcome }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  const patients = s.patients.map((p, i) => ({ id: run.patientIds[i]!, status: p.status, tier: p.tier, ward: p.ward })).sort((a, b) => (a.id < b.id ? -1 : 1));
  return { beds, admissions, patients };
}

/** Every invariant, against the model's state `s`; `o` is what the databases hold. */
function checkState(run: Run, s: ModelState, o: Observed): void {
  for (const b of o.beds) {
    if (b.occupied !== b.active) expectEqual(`occupied = active admissions at ${b.facility_id}/${b.kind}`, b.occupied, b.active, run);
    if (b.occupied > b.covid_designated) expectEqual(`occupied ≤ covidDesignated at ${b.facility_id}/${b.kind}`, b.occupied, `≤ ${b.covid_designated}`, run);
  }
  const e = expected(run, s);
  expectEqual('bed counters equal the model', o.beds.map((b) => ({ facility: b.facility_id, kind: b.kind, occupied: b.occupied })), e.beds, run);
  expectEqual(
    'admissions equal the model',
    o.admissions
      .map((a) => ({ id: a.id, patient: a.patient_id, facility: a.facility_id, kind: a.bed_kind, outcome: a.outcome }))
      .sort((a, b) => (a.id < b.id ? -1 : 1)),
    e.admissions,
    run,
  );
  expectEqual(
    'patients equal the model',
    o.patients.map((p) => ({ id: p.id, status: p.status, tier: p.tier, ward: p.ward_code })).sort((a, b) => (a.id < b.id ? -1 : 1)),
    e.patients,
    run,
  );
  expectEqual(
    "facilities' projection of patients equals the patients subgraph",
    o.known.map((k) => ({ id: k.id, status: k.status, tier: k.tier })).sort((a, b) => (a.id < b.id ? -1 : 1)),
    e.patients.map((p) => ({ id: p.id, status: p.status, tier: p.tier })),
    run,
  );
  expectEqual(
    'quarantine orders equal the model',
    o.orders.map((q) => ({ id: q.id, contact: q.contact_id, facility: q.facility_id, active: q.active })).sort((a, b) => (a.id < b.id ? -1 : 1)),
    s.orders
      .map((q, i) => ({ id: run.orderIds[i]!, contact: run.contactIds[q.contact]!, facility: q.facility === null ? null : run.facilityIds[q.facility]!, active: q.active }))
      .sort((a, b) => (a.id < b.id ? -1 : 1)),
    run,
  );
  expectEqual(
    "quarantine areas' occupants (orders in force) equal the model",
    o.stays.map((x) => ({ facility: x.facility_id, n: x.n })).sort((a, b) => (a.facility < b.facility ? -1 : 1)),
    s.stays.map((n, i) => ({ facility: run.facilityIds[i]!, n })).filter((x) => x.n > 0).sort((a, b) => (a.facility < b.facility ? -1 : 1)),
    run,
  );
  // Stock: the counters equal the model's, on hand is what they add up to and never negative, and
  // the movements recount to the same counters and on hand.
  const modelStock = s.stock
    .flatMap((byPkg, i) =>
      PACKAGES.filter((k) => byPkg[k]).map((k) => ({ facility: run.facilityIds[i]!, item: `MEDICINE_PACKAGE_${k}`, ...byPkg[k]!, onHand: onHand(byPkg[k]) })),
    )
    .sort((a, b) => (a.facility + a.item < b.facility + b.item ? -1 : 1));
  // A place's counter row exists from its first receipt or correction, and may add back up to
  // nothing (+2, +1, −3): the empty ones say nothing either way, on both sides.
  const nonEmpty = (r: { received: number; dispensed: number; adjusted: number }) => r.received !== 0 || r.dispensed !== 0 || r.adjusted !== 0;
  const stockRows = o.stock.map((x) => ({ facility: x.facility_id, item: x.item, received: x.received, dispensed: x.dispensed, adjusted: x.adjusted, onHand: x.on_hand }));
  expectEqual('stock counters equal the model', stockRows.filter(nonEmpty).sort((a, b) => (a.facility + a.item < b.facility + b.item ? -1 : 1)), modelStock.filter(nonEmpty), run);
  expectEqual(
    'stock counters equal the recount of the movements',
    o.movements.map((m) => ({ facility: m.facility_id, item: m.item, received: m.received, dispensed: m.dispensed, adjusted: m.adjusted, onHand: m.received - m.dispensed + m.adjusted })),
    stockRows,
    run,
  );
  expectEqual(
    'packages given equal the model',
    o.dispenses.map((d) => `${d.patient_id} ${d.facility_id} ${d.package}`).sort(),
    s.dispenses.map((d) => `${run.patientIds[d.patient]!} ${run.facilityIds[d.facility]!} ${d.pkg}`).sort(),
    run,
  );
  // Doses: the records, each resident's state, and the change of the coverage and doses-per-day
  // counters since the run began equal the model's.
  expectEqual(
    'dose records equal the model',
    o.doses.map((d) => `${d.national_id} ${d.dose} ${d.day}`).sort(),
    s.doses.map((d) => `${run.residentIds[d.resident]!} ${d.dose} ${DOSE_DAYS[d.day]!}`).sort(),
    run,
  );
  const residentState = RESIDENTS.map((_, i) => {
    const mine = s.doses.filter((d) => d.resident === i);
    const days = mine.map((d) => DOSE_DAYS[d.day]!).sort();
    return { nationalId: run.residentIds[i]!, doses: mine.length, primary: mine.filter((d) => d.dose !== 'BOOSTER').length, boosted: mine.some((d) => d.dose === 'BOOSTER'), last: days.at(-1) ?? null };
  });
  expectEqual(
    "residents' vaccination state equals the model",
    o.residents.map((r) => ({ nationalId: r.national_id, doses: r.doses, primary: r.primary_doses, boosted: r.boosted, last: r.last_dose_on })).sort((a, b) => (a.nationalId < b.nationalId ? -1 : 1)),
    [...residentState].sort((a, b) => (a.nationalId < b.nationalId ? -1 : 1)),
    run,
  );
  const zero: Coverage = { population: 0, dose1: 0, fully: 0, boosted: 0 };
  const coverageChange = WARDS.map((w) => {
    const now = o.coverage.get(w) ?? zero;
    const then = run.baseline.coverage.get(w) ?? zero;
    return { ward: w, population: now.population - then.population, dose1: now.dose1 - then.dose1, fully: now.fully - then.fully, boosted: now.boosted - then.boosted };
  });
  const modelCoverage = WARDS.map((w) => {
    const acc = { ward: w, population: 0, dose1: 0, fully: 0, boosted: 0 };
    RESIDENTS.forEach((rw, i) => {
      if (rw !== w) return;
      const c = coverageOf(s.doses.filter((d) => d.resident === i));
      acc.dose1 += c.dose1;
      acc.fully += c.fully;
      acc.boosted += c.boosted;
    });
    return acc;
  });
  expectEqual('coverage counters (change since the run began) equal the model', coverageChange, modelCoverage, run);
  const dayChange = new Map<string, number>();
  for (const [k, n] of o.doseDays) if (n !== (run.baseline.doseDays.get(k) ?? 0)) dayChange.set(k, n - (run.baseline.doseDays.get(k) ?? 0));
  const modelDays = new Map<string, number>();
  for (const d of s.doses) {
    const k = `${RESIDENTS[d.resident]} ${DOSE_DAYS[d.day]} ${d.dose}`;
    modelDays.set(k, (modelDays.get(k) ?? 0) + 1);
  }
  expectEqual('doses-per-day counters (change since the run began) equal the model', [...dayChange].sort(), [...modelDays].sort(), run);
  // Caseloads: the care assignments (patient, worker, open) and each worker's caseload counter
  // equal the model's; the counter equals the open assignments and stays within the cap.
  expectEqual(
    'care assignments equal the model',
    o.care.map((c) => `${c.patient_id} ${c.worker_id} ${c.active ? 'open' : 'ended'}`).sort(),
    s.care.map((c) => `${run.patientIds[c.patient]!} ${run.workerIds[c.worker]!} ${c.active ? 'open' : 'ended'}`).sort(),
    run,
  );
  expectEqual(
    "workers' caseloads equal the model",
    o.workers.map((x) => ({ id: x.id, caseload: x.caseload })).sort((a, b) => (a.id < b.id ? -1 : 1)),
    WORKERS.map((_, i) => ({ id: run.workerIds[i]!, caseload: caseloadOf(s, i) })).sort((a, b) => (a.id < b.id ? -1 : 1)),
    run,
  );
  for (const x of o.workers) {
    const open = o.care.filter((c) => c.worker_id === x.id && c.active).length;
    const cap = CASELOAD_CAPS[run.workerIds.indexOf(x.id)]!;
    expectEqual(`caseload of ${x.id} = open assignments ≤ ${cap}`, { caseload: x.caseload, withinCap: x.caseload <= cap }, { caseload: open, withinCap: true }, run);
  }
  // Independent of the model: no quarantine area holds more people than it has places.
  for (const x of o.stays) {
    const bed = o.beds.find((b) => b.facility_id === x.facility_id && b.kind === 'GENERAL');
    if (bed && bed.occupied + x.n > bed.covid_designated) expectEqual(`quarantine area ${x.facility_id} within its places`, bed.occupied + x.n, `≤ ${bed.covid_designated}`, run);
  }
  // Independent of the model: a closed case holds no bed.
  const closed = new Set(o.patients.filter((p) => p.status !== 'UNDER_TREATMENT').map((p) => p.id));
  const held = o.admissions.filter((a) => a.discharged_at === null && closed.has(a.patient_id)).map((a) => a.id);
  expectEqual('no RECOVERED/DECEASED patient holds a bed', held, [], run);
  // A patient holds at most one active admission.
  const active = o.admissions.filter((a) => a.discharged_at === null).map((a) => a.patient_id);
  expectEqual('at most one active admission per patient', active.length, new Set(active).size, run);
}

/** Runs `work` and adds its wall time to the phase `name`. */
async function timed<T>(h: Harness, name: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    h.phases.set(name, (h.phases.get(name) ?? 0) + performance.now() - started);
  }
}

export const phaseTable = (h: { phases: Harness['phases'] }) =>
  [...h.phases]
    .sort(([, a], [, b]) => b - a)
    .map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)} s`)
    .join(', ');

/** Registered with these, so that each is a string a response can be searched for. */
const PERSON = { phone: '0912345678', address: 'Số 7 ngõ 9 Kim Giang', dateOfBirth: '1979-02-13' };
const PERSONAL_READ = `query($id: ID!) { patient(id: $id) { id fullName phone address dateOfBirth } }`;

/**
 * A viewer reads a patient's personal fields through the gateway: all of them, exact, when the
 * model says the role and jurisdiction may read them; otherwise none of them anywhere in the answer
 * (data or error messages), whatever shape the refusal takes.
 */
async function checkPersonalData(run: Run, s: ModelState, pick: Pick): Promise<void> {
  if (s.patients.length === 0) return;
  const index = pick.read % s.patients.length;
  const id = run.patientIds[index]!;
  const name = run.names.get(id)!;
  const viewer = VIEWERS[pick.reader]!;
  const res = await timed(run.h, 'personal read', () => gql(run.h.stack.gateway.url, PERSONAL_READ, { id }, { token: run.h.tokens[pick.reader]! }));
  const what = `${viewer.name} reads the personal data of patient #${index} (ward ${s.patients[index]!.ward})`;
  const may = mayReadPersonal(viewer, s.patients[index]!.ward);
  tally(run.h, 'personal read', may ? 'VISIBLE' : 'HIDDEN');
  if (may) {
    expectEqual(what, { data: res.data, errors: res.errors }, { data: { patient: { id, fullName: name, phone: '+84912345678', address: PERSON.address, dateOfBirth: PERSON.dateOfBirth } }, errors: undefined }, run);
  } else {
    const text = JSON.stringify(res);
    const leaked = [JSON.stringify(name), PERSON.phone.slice(1), PERSON.address, PERSON.dateOfBirth].filter((v) => text.includes(v));
    expectEqual(`${what}: none of it may reach this role`, leaked, [], run);
  }
}

function tally(h: Harness, kind: string, answer: Answer): void {
  const key = `${kind} ${answer}`;
  h.answers.set(key, (h.answers.get(key) ?? 0) + 1);
}

export const answerTable = (h: { answers: Harness['answers'] }) =>
  [...h.answers]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, n]) => `${k}: ${n}`)
    .join(', ');

export class WriteCommand implements fc.AsyncCommand<Model, Run> {
  constructor(readonly pick: Pick) {}
  check = () => true;
  async run(m: Model, run: Run): Promise<void> {
    const op = resolve(this.pick, m.s);
    const want = step(m.s, op);
    const headsBefore = await timed(run.h, 'outboxHeads', () => outboxPositions(run.h.stack.subgraphs));
    const got = await timed(run.h, 'gateway', () => execute(run, op));
    run.trace.push(`${describeOp(op)} → ${got.answer}${got.answer !== want.answer ? ` (model: ${want.answer})` : ''}`);
    run.h.steps += 1;
    tally(run.h, op.kind, got.answer);
    run.h.onStep?.(run.h.steps);
    expectEqual(`answer to ${describeOp(op)}`, got.answer, want.answer, run);
    adopt(run, m.s, want.next, got.id);
    m.s = want.next;
    // A refused write writes nothing, in particular nothing outside the viewer's jurisdiction;
    // with nothing published there is nothing to wait for either.
    if (want.answer !== 'OK') expectEqual(`a refused ${op.kind} publishes nothing`, await timed(run.h, 'outboxHeads', () => eventsSince(run, headsBefore)), [], run);
    else await timed(run.h, 'settle', () => run.h.stack.settle({ services: false }));
    checkState(run, m.s, await timed(run.h, 'observe', () => observe(run)));
    await checkPersonalData(run, m.s, this.pick);
  }
  toString = () => `${this.pick.kind}(${JSON.stringify(this.pick)})`;
}

/**
 * Counterexample 5's rule. closeCase (patients owns the case) and a discharge as RECOVERED or
 * DECEASED of that patient's active admission (facilities owns the admission), sent at once, are
 * a legitimate race between two subgraphs that share no lock: each write is valid at its own
 * subgraph's snapshot, so both may answer OK, which no sequential order gives. That pair, and only
 * that pair, may answer OK ‖ OK, and only when each alone would be OK in the state before and the
 * settled state equals the state some sequential order leaves (the case closed with one outcome in
 * both subgraphs, the admission ended with it, the bed freed once). Every other pair is strict:
 * some order must explain both answers and the state.
 */
function closingRace(s: ModelState, a: Op, b: Op): boolean {
  const [close, discharge] = a.kind === 'closeCase' ? [a, b] : [b, a];
  if (close.kind !== 'closeCase' || discharge.kind !== 'dischargePatient') return false;
  if (close.patient === null || discharge.admission === null || discharge.outcome === 'TRANSFERRED_HOME') return false;
  const admission = s.admissions[discharge.admission]!;
  return admission.patient === close.patient && admission.outcome === null && step(s, close).answer === 'OK' && step(s, discharge).answer === 'OK';
}

/** A discharge pick marked `closing` names the active admission of the patient closeCase names. */
function closingPartner(pick: Pick, other: Op, op: Op, s: ModelState): Op {
  if (!pick.closing || other.kind !== 'closeCase' || op.kind !== 'dischargePatient' || other.patient === null) return op;
  const admission = activeAdmissionOf(s, other.patient);
  return admission < 0 ? op : { ...op, admission, viewer: other.viewer };
}

/**
 * Two writes at once. The model accepts either serialisation; the one whose answers match, and
 * whose state the databases hold after every event was applied, becomes the model's state.
 */
export class ConcurrentCommand implements fc.AsyncCommand<Model, Run> {
  constructor(readonly a: Pick, readonly b: Pick) {}
  check = () => true;
  async run(m: Model, run: Run): Promise<void> {
    const resolvedA = resolve(this.a, m.s);
    const resolvedB = resolve(this.b, m.s);
    const opA = closingPartner(this.a, resolvedB, resolvedA, m.s);
    const opB = closingPartner(this.b, resolvedA, resolvedB, m.s);
    const [gotA, gotB] = await timed(run.h, 'gateway', () => Promise.all([execute(run, opA), execute(run, opB)]));
    run.h.steps += 2;
    tally(run.h, opA.kind, gotA.answer);
    tally(run.h, opB.kind, gotB.answer);
    run.h.onStep?.(run.h.steps);
    await timed(run.h, 'settle', () => run.h.stack.settle({ services: false }));
    const orders = [
      [opA, gotA, opB, gotB],
      [opB, gotB, opA, gotA],
    ] as const;
    const tried: string[] = [];
    const race = closingRace(m.s, opA, opB) && gotA.answer === 'OK' && gotB.answer === 'OK';
    for (const [first, gotFirst, second, gotSecond] of orders) {
      const one = step(m.s, first);
      const two = step(one.next, second);
      tried.push(`${describeOp(first)} → ${one.answer}; then ${describeOp(second)} → ${two.answer}${race ? ' (closing race: OK ‖ OK allowed)' : ''}`);
      if (!race && (one.answer !== gotFirst.answer || two.answer !== gotSecond.answer)) continue;
      const candidate: Run = {
        ...run,
        patientIds: [...run.patientIds],
        admissionIds: [...run.admissionIds],
        contactIds: [...run.contactIds],
        orderIds: [...run.orderIds],
        trace: run.trace,
      };
      adopt(candidate, m.s, one.next, gotFirst.id);
      adopt(candidate, one.next, two.next, gotSecond.id);
      try {
        checkState(candidate, two.next, await timed(run.h, 'observe', () => observe(candidate)));
      } catch (error) {
        if (!(error instanceof InvariantBroken)) throw error;
        tried.push(`  answers match, state does not: ${error.message.split('\n  trace:')[0]}`);
        continue;
      }
      run.patientIds = candidate.patientIds;
      run.admissionIds = candidate.admissionIds;
      run.contactIds = candidate.contactIds;
      run.orderIds = candidate.orderIds;
      if (race) tally(run.h, 'closing race', 'OK ‖ OK');
      run.trace.push(`together: ${describeOp(opA)} → ${gotA.answer} ‖ ${describeOp(opB)} → ${gotB.answer}${race ? ' (closing race)' : ''}`);
      m.s = two.next;
      await checkPersonalData(run, m.s, this.b);
      return;
    }
    run.trace.push(`together: ${describeOp(opA)} → ${gotA.answer} ‖ ${describeOp(opB)} → ${gotB.answer}  ✗`);
    // Neither order explains it: report what each order predicted, against the state of the first.
    throw new InvariantBroken(
      `no serialisation of the concurrent pair explains the answers and the state\n  got: ${gotA.answer} ‖ ${gotB.answer}\n  orders:\n    ${tried.join('\n    ')}\n  trace:\n    ${run.trace.join('\n    ')}`,
    );
  }
  toString = () => `together(${JSON.stringify(this.a)}, ${JSON.stringify(this.b)})`;
}

// Clinical officers inside the small geography more often than anyone else, so that writes get
// through; every role still comes up.
const viewerArb = fc.oneof(
  { arbitrary: fc.constant(0), weight: 4 },
  { arbitrary: fc.constantFrom(1, 3), weight: 4 },
  { arbitrary: fc.constantFrom(2, 4, 5), weight: 2 },
  { arbitrary: fc.constantFrom(6, 7, 8), weight: 1 },
);

const pickArb = (kind: fc.Arbitrary<Op['kind']>): fc.Arbitrary<Pick> =>
  fc.record({
    kind,
    viewer: viewerArb,
    cover: fc.oneof({ arbitrary: fc.constant(true), weight: 3 }, { arbitrary: fc.constant(false), weight: 1 }),
    unknown: fc.constant(false),
    n: fc.nat(30),
    ward: fc.constantFrom(...WARDS),
    tier: fc.constantFrom(...TIERS),
    facility: fc.nat(FACILITIES.length - 1),
    followTier: fc.oneof({ arbitrary: fc.constant(true), weight: 4 }, { arbitrary: fc.constant(false), weight: 1 }),
    bedKind: fc.constantFrom(...BED_KINDS),
    key: fc.oneof({ arbitrary: fc.constant(null), weight: 2 }, { arbitrary: fc.nat(3), weight: 1 }),
    override: fc.oneof({ arbitrary: fc.constant(false), weight: 5 }, { arbitrary: fc.constant(true), weight: 1 }),
    outcome: fc.constantFrom(0 as const, 1 as const, 2 as const),
    reader: fc.nat(VIEWERS.length - 1),
    read: fc.nat(30),
  });

function withUnknown(arb: fc.Arbitrary<Pick>): fc.Arbitrary<Pick> {
  // One reference in twenty names a record nobody has.
  return fc.tuple(arb, fc.nat(19)).map(([p, u]) => ({ ...p, unknown: u === 0 }));
}

const kindArb = fc.oneof(
  { arbitrary: fc.constant('registerPatient' as const), weight: 3 },
  { arbitrary: fc.constant('changeTier' as const), weight: 1 },
  { arbitrary: fc.constant('closeCase' as const), weight: 1 },
  { arbitrary: fc.constant('admitPatient' as const), weight: 7 },
  { arbitrary: fc.constant('dischargePatient' as const), weight: 1 },
  { arbitrary: fc.constant('transferPatient' as const), weight: 2 },
  { arbitrary: fc.constant('recordContact' as const), weight: 2 },
  { arbitrary: fc.constant('orderQuarantine' as const), weight: 2 },
  { arbitrary: fc.constant('endQuarantine' as const), weight: 1 },
  { arbitrary: fc.constant('receiveStock' as const), weight: 2 },
  { arbitrary: fc.constant('adjustStock' as const), weight: 1 },
  { arbitrary: fc.constant('dispenseMedicinePackage' as const), weight: 3 },
  { arbitrary: fc.constant('recordDose' as const), weight: 3 },
  { arbitrary: fc.constant('assignCare' as const), weight: 3 },
  { arbitrary: fc.constant('endCare' as const), weight: 1 },
);
const anyPick = withUnknown(pickArb(kindArb));

/** A concurrent pair about the same record: closeCase racing admitPatient, or any two writes. */
const pairArb: fc.Arbitrary<[Pick, Pick]> = fc.oneof(
  fc.tuple(withUnknown(pickArb(fc.constant('closeCase'))), withUnknown(pickArb(fc.constant('admitPatient')))).map(([a, b]) => [a, { ...b, n: a.n, unknown: a.unknown }] as [Pick, Pick]),
  fc.tuple(withUnknown(pickArb(fc.constant('admitPatient'))), fc.boolean()).map(([a, sameKey]) => [a, sameKey ? { ...a } : { ...a, n: a.n + 1 }] as [Pick, Pick]),
  fc.tuple(anyPick, anyPick),
  // Two dispenses of the same package at the same station: the last package goes once.
  fc
    .tuple(withUnknown(pickArb(fc.constant('dispenseMedicinePackage'))), withUnknown(pickArb(fc.constant('dispenseMedicinePackage'))))
    .map(([a, b]) => [a, { ...b, facility: a.facility, outcome: a.outcome, n: (a.n % 4 === 0 ? 0 : 1) + 4 * (b.n % 7) }] as [Pick, Pick]),
  // closeCase (or an admission) racing assignCare of the same patient: no place held for a closed or admitted case.
  fc
    .tuple(withUnknown(pickArb(fc.constantFrom('closeCase' as const, 'admitPatient' as const))), pickArb(fc.constant('assignCare')))
    .map(([a, b]) => [a, { ...b, n: a.n, unknown: a.unknown }] as [Pick, Pick]),
  // Two assignments to the same worker (the last place goes once).
  fc.tuple(pickArb(fc.constant('assignCare')), pickArb(fc.constant('assignCare'))).map(([a, b]) => [a, { ...b, facility: a.facility, followTier: a.followTier, n: b.n }] as [Pick, Pick]),
  // Two doses for the same resident (same pick but the key and the day's offset): one of them is the second.
  fc
    .tuple(withUnknown(pickArb(fc.constant('recordDose'))), pickArb(fc.constant('recordDose')))
    .map(([a, b]) => [a, { ...b, unknown: a.unknown, n: a.n + RESIDENTS.length * (b.n % 3) }] as [Pick, Pick]),
  // Counterexample 5: closeCase and a closing discharge of the same patient, either sent first.
  fc
    .tuple(pickArb(fc.constant('closeCase')), pickArb(fc.constant('dischargePatient')), fc.boolean())
    .map(([c, d, closeFirst]) => {
      const discharge: Pick = { ...d, closing: true, outcome: d.outcome === 1 ? 0 : d.outcome };
      return (closeFirst ? [c, discharge] : [discharge, c]) as [Pick, Pick];
    }),
);

export const commandsArb = (maxCommands: number) =>
  fc.commands(
    [
      anyPick.map((p) => new WriteCommand(p)),
      anyPick.map((p) => new WriteCommand(p)),
      anyPick.map((p) => new WriteCommand(p)),
      anyPick.map((p) => new WriteCommand(p)),
      anyPick.map((p) => new WriteCommand(p)),
      anyPick.map((p) => new WriteCommand(p)),
      pairArb.map(([a, b]) => new ConcurrentCommand(a, b)),
    ],
    { maxCommands, size: 'max' },
  );

/** Fresh facilities for a run, so that every run (and every shrink) starts from empty beds. */
async function newRun(h: Harness): Promise<Run> {
  h.runs += 1;
  const prefix = `m${h.runs}-`;
  const facilityIds = FACILITIES.map((f) => `${prefix}${f.key}`);
  await timed(h, 'newRun', () => createFacilities(
    h.db,
    FACILITIES.map((f, i) => ({
      id: facilityIds[i]!,
      wardCode: f.ward,
      kind: f.kind,
      level: f.level,
      status: f.active ? 'ACTIVE' : 'STANDBY',
      servesTiers: f.servesTiers,
      beds: Object.fromEntries(Object.entries(f.beds).map(([k, b]) => [k, { total: b!.total, covidDesignated: b!.designated }])),
    })),
  ));
  // The run's residents, registered by the city officer; the counters as they are then.
  const residentIds = RESIDENTS.map((_, i) => `001${String(h.runs).padStart(8, '0')}${i}`);
  await timed(h, 'newRun', () =>
    Promise.all(
      RESIDENTS.map(async (wardCode, i) => {
        const input = { nationalId: residentIds[i], fullName: `Cư dân ${i}`, dateOfBirth: `${RESIDENT_BIRTH_YEAR}-06-15`, wardCode };
        const res = await gql(h.stack.gateway.url, M.registerResident, { input }, { token: h.tokens[0]! });
        if (res.data?.registerResident?.__typename !== 'RegisterResidentSuccess') throw new Error(`registering resident ${residentIds[i]}: ${JSON.stringify(res)}`);
      }),
    ),
  );
  // The run's health workers: nurses based in the model's wards, registered by the city officer.
  const workerIds = await timed(h, 'newRun', () =>
    Promise.all(
      WORKERS.map(async (homeWardCode, i) => {
        const input = { fullName: `Điều Dưỡng ${h.runs}-${i}`, role: 'NURSE', origin: 'PUBLIC_STAFF', homeWardCode, maxCaseload: CASELOAD_CAPS[i]! };
        const res = await gql(h.stack.gateway.url, M.registerWorker, { input }, { token: h.tokens[0]! });
        const id: string | undefined = res.data?.registerHealthWorker?.worker?.id;
        if (!id) throw new Error(`registering health worker ${i}: ${JSON.stringify(res)}`);
        return id;
      }),
    ),
  );
  const v: Kysely<any> = h.stack.subgraphs.vaccination.runtime.db;
  const baseline = { coverage: await coverageRows(v), doseDays: await doseDayRows(v) };
  // Population is counted from registration, before the baseline: the model's change is 0.
  return { h, prefix, facilityIds, patientIds: [], names: new Map(), admissionIds: [], contactIds: [], orderIds: [], residentIds, workerIds, baseline, trace: [] };
}

/**
 * The facilities outbox replayed from the start: the last absolute count of each bed-occupancy
 * event, per facility and kind, is the bed table's count (a facility without events is empty).
 */
export async function checkOutboxReplay(h: Harness): Promise<{ events: number; counters: number }> {
  const f: Kysely<any> = h.facilities.db;
  const events = await sql<{ payload: unknown }>`select payload from outbox where topic = ${TOPICS.bedOccupancy} order by position`.execute(f);
  const folded = new Map<string, number>();
  for (const { payload } of events.rows) {
    const p = (typeof payload === 'string' ? JSON.parse(payload) : payload) as { facilityId: string; bedKind: string; occupied: number };
    folded.set(`${p.facilityId}/${p.bedKind}`, p.occupied);
  }
  // A quarantine area's events count the orders in force there as occupants of its GENERAL row.
  const beds = await sql<{ facility_id: string; kind: string; occupied: number }>`
    select b.facility_id, b.kind, b.occupied + case when b.kind = 'GENERAL' then (select count(*)::int from quarantine_stay q where q.facility_id = b.facility_id and q.active) else 0 end as occupied
      from bed b`.execute(f);
  const table = new Map(beds.rows.map((b) => [`${b.facility_id}/${b.kind}`, b.occupied]));
  const differences = [...table].filter(([key, occupied]) => (folded.get(key) ?? 0) !== occupied).map(([key, occupied]) => `${key}: table ${occupied}, replay ${folded.get(key) ?? 0}`);
  for (const key of folded.keys()) if (!table.has(key)) differences.push(`${key}: in the outbox, not in the bed table`);
  if (differences.length) throw new InvariantBroken(`outbox replay disagrees with the bed table:\n  ${differences.join('\n  ')}`);
  return { events: events.rows.length, counters: table.size };
}

/** One property: a run of commands from empty beds, every invariant after every step. */
export function writesProperty(h: Harness, maxCommands: number) {
  return fc.asyncProperty(commandsArb(maxCommands), async (commands) => {
    const run = await newRun(h);
    await fc.asyncModelRun(() => ({ model: { s: initialState() }, real: run }), commands);
  });
}

export const INVARIANTS = [
  "the API's answer (OK, typed error code, or FORBIDDEN/NOT_FOUND) equals the model's",
  'a refused write publishes nothing in any outbox (no write outside the jurisdiction took effect)',
  "every facility's occupied count equals its active admissions and never exceeds covidDesignated",
  "bed counters, admissions, patients' status/tier and the facilities projection equal the model's after settle",
  'no RECOVERED/DECEASED patient holds a bed; at most one active admission per patient',
  "quarantine orders (contact, area, in force) and each quarantine area's occupants equal the model's; no area holds more than its places",
  'concurrent pairs: some serialisation explains both answers and the settled state; the one exception, closeCase ‖ a RECOVERED/DECEASED discharge of the same patient, may answer OK ‖ OK only if each alone is OK and the settled state is a sequential order\'s (one outcome in both subgraphs, admission ended with it, bed freed once)',
  "after every step a random viewer reads a random patient's personal fields: exact when the model's role+jurisdiction rule allows it, absent from the whole answer otherwise",
  "medicine package stock per station and package (received, dispensed, adjusted, on hand) equals the model's and the recount of its movements; the packages given (patient, station, package) equal the model's; receipts, corrections and dispenses follow role+jurisdiction of the station (and of the patient for a dispense), per-writer idempotency keys, OUT_OF_STOCK, package B/C eligibility and C's traced order",
  "doses per resident (seeded residents in the model's wards): the dose records, each resident's state (doses, primary doses, boosted, last dose day) and the change of the coverage (dose1, fully, boosted) and doses-per-day counters equal the model's; recordDose follows role (vaccinator, district, city) + jurisdiction of the resident's ward, unknown and foreign residents alike but for the city, one key space for all writers (same dose: replay, other: CONFLICT), DUPLICATE_DOSE, DOSE_OUT_OF_ORDER, DOSE_TOO_SOON (21 days between Pfizer primary doses, 90 to the booster)",
  "caseloads: care assignments (patient, worker, open/ended) and each worker's caseload counter equal the model's, the counter equals the open assignments and stays within the cap; assignCare needs a clinical role covering the patient's ward, a home patient under treatment (PATIENT_NOT_AT_HOME), a worker reachable by the viewer and covering the patient's ward (WORKER_OUTSIDE_AREA), no open assignment (ALREADY_ASSIGNED), room (CASELOAD_FULL); endCare NOT_FOUND without one; closeCase and an admission end the care (workforce's projection)",
  'at the end: bed-occupancy events folded from the outbox rebuild the bed table (quarantine areas: its rows plus the orders in force)',
];

