/**
 * The demo city's health workforce, in proportion to each ward's population and home cases:
 * public staff of the ward station, reinforcements where cases are many, a home-care support
 * team per ward, care assignments for most home patients (some left unassigned, as on a real
 * morning), and staff on duty in collection sites and hospitals.
 */
import type { FacilityPlan, GeographyPlan } from './facilities-plan.js';
import type { PatientPlan } from './patients-plan.js';
import { Random } from './random.js';
import type { TeamKind, WorkerOrigin, WorkerRole } from '../../subgraphs/workforce/domain/workforce.js';

export interface WorkerPlan {
  id: string;
  fullName: string;
  phone: string;
  role: WorkerRole;
  origin: WorkerOrigin;
  wardCode: string;
  districtCode: string;
  maxCaseload: number;
  care: boolean;
}

export interface WorkforcePlan {
  workers: WorkerPlan[];
  teams: { id: string; name: string; kind: TeamKind; wardCode: string; districtCode: string; leadId: string | null; memberIds: string[] }[];
  assignments: { patientId: string; workerId: string; assignedAt: Date }[];
  duties: { workerId: string; facilityId: string; startsAt: Date }[];
}

const CAPS: Record<WorkerRole, number> = { DOCTOR: 30, PHYSICIAN_ASSISTANT: 25, NURSE: 20, PHARMACIST: 10, TECHNICIAN: 10, SUPPORT: 10 };
const REINFORCEMENTS: WorkerOrigin[] = ['PRIVATE_SECTOR', 'RETIRED', 'MEDICAL_STUDENT', 'VOLUNTEER', 'REINFORCEMENT'];
const NAMES = ['Nguyễn Thị Hoa', 'Trần Văn Hùng', 'Lê Thu Trang', 'Phạm Minh Đức', 'Hoàng Thị Lan', 'Vũ Quang Huy', 'Đặng Ngọc Anh', 'Bùi Văn Nam'];

export function planWorkforce(geo: GeographyPlan, facilities: FacilityPlan[], patients: PatientPlan[], now: Date): WorkforcePlan {
  const r = new Random('workforce');
  const workers: WorkerPlan[] = [];
  const teams: WorkforcePlan['teams'] = [];
  const assignments: WorkforcePlan['assignments'] = [];
  const duties: WorkforcePlan['duties'] = [];
  const homeByWard = new Map<string, PatientPlan[]>();
  for (const p of patients) {
    if (p.status === 'UNDER_TREATMENT' && !p.admission) homeByWard.set(p.wardCode, [...(homeByWard.get(p.wardCode) ?? []), p]);
  }
  const worker = (id: string, role: WorkerRole, origin: WorkerOrigin, wardCode: string, districtCode: string): WorkerPlan => {
    const w = {
      id,
      fullName: r.pick(NAMES),
      phone: `+849${String(r.int(0, 99_999_999)).padStart(8, '0')}`,
      role,
      origin,
      wardCode,
      districtCode,
      maxCaseload: CAPS[role],
      care: role === 'DOCTOR' || role === 'PHYSICIAN_ASSISTANT' || role === 'NURSE',
    };
    workers.push(w);
    return w;
  };

  for (const ward of geo.wards) {
    const home = homeByWard.get(ward.code) ?? [];
    const staff: WorkerPlan[] = [];
    const roles: WorkerRole[] = ['DOCTOR', 'PHYSICIAN_ASSISTANT', 'NURSE', 'NURSE', 'PHARMACIST'];
    for (let i = 0; i < Math.floor(ward.population / 8_000); i++) roles.push(r.pick(['DOCTOR', 'NURSE', 'NURSE', 'PHYSICIAN_ASSISTANT'] as const));
    roles.forEach((role, i) => staff.push(worker(`HW-${ward.code}-${String(i + 1).padStart(2, '0')}`, role, 'PUBLIC_STAFF', ward.code, ward.districtCode)));
    // Reinforcements so that capacity covers the ward's home patients with some room.
    const capacity = () => staff.filter((s) => s.care).reduce((sum, s) => sum + s.maxCaseload, 0);
    let n = staff.length;
    while (capacity() < home.length * 1.15) {
      n += 1;
      staff.push(worker(`HW-${ward.code}-${String(n).padStart(2, '0')}`, r.pick(['DOCTOR', 'NURSE', 'NURSE'] as const), r.pick(REINFORCEMENTS), ward.code, ward.districtCode));
    }
    const care = staff.filter((s) => s.care);
    teams.push({ id: `T-${ward.code}-HC`, name: `Tổ hỗ trợ F0 tại nhà ${ward.name}`, kind: 'HOME_CARE_SUPPORT', wardCode: ward.code, districtCode: ward.districtCode, leadId: care[0]?.id ?? null, memberIds: care.map((c) => c.id) });
    const community = staff.filter((s) => !s.care || s.origin !== 'PUBLIC_STAFF').map((s) => s.id);
    teams.push({ id: `T-${ward.code}-CC`, name: `Tổ Covid cộng đồng ${ward.name}`, kind: 'COMMUNITY_COVID', wardCode: ward.code, districtCode: ward.districtCode, leadId: null, memberIds: community });

    // Most home patients have a worker, least loaded first; about 8 % wait for one.
    const load = new Map(care.map((c) => [c.id, 0]));
    for (const p of home) {
      if (r.chance(0.08)) continue;
      const pick = care.filter((c) => load.get(c.id)! < c.maxCaseload).sort((a, b) => load.get(a.id)! / a.maxCaseload - load.get(b.id)! / b.maxCaseload)[0];
      if (!pick) break;
      load.set(pick.id, load.get(pick.id)! + 1);
      assignments.push({ patientId: p.id, workerId: pick.id, assignedAt: new Date(p.confirmedAt.getTime() + 3_600_000) });
    }
  }

  for (const f of facilities.filter((x) => x.group !== 'NONE')) {
    const count = f.kind === 'HOSPITAL' ? 12 : 8;
    for (let i = 1; i <= count; i++) {
      const w = worker(`HF-${f.id}-${String(i).padStart(2, '0')}`, i <= 3 ? 'DOCTOR' : 'NURSE', r.chance(0.7) ? 'PUBLIC_STAFF' : r.pick(REINFORCEMENTS), f.wardCode, f.districtCode);
      duties.push({ workerId: w.id, facilityId: f.id, startsAt: new Date(now.getTime() - 7 * 86_400_000) });
    }
  }
  return { workers, teams, assignments, duties };
}
