/** Rows to domain objects: the one place that knows both shapes. */
import type { DoseKind, Vaccine, VaccinationState } from '../domain/schedule.js';
import type { BandCounter } from '../domain/coverage.js';
import type { Schooling } from '../domain/gaps.js';
import type { HomeVaccinationRequestRow, ResidentRow, VaccinationPointRow, VaccinationRecordRow, VaccinationSessionRow } from './tables.js';

/** A resident of a ward's managed population, with the state their doses add up to. */
export interface Resident extends VaccinationState {
  id: string;
  nationalId: string;
  fullName: string;
  dateOfBirth: string;
  wardCode: string;
  districtCode: string;
  comorbidities: boolean;
  homebound: boolean;
  student: boolean;
  schooling: Schooling;
  /** The latest refusal of vaccination, if any. */
  refusal: Refusal | null;
}

export interface Refusal {
  reason: string;
  refusedOn: string;
}

export interface VaccinationRecord {
  id: string;
  residentId: string;
  dose: DoseKind;
  vaccine: Vaccine;
  lot: string | null;
  administeredAt: Date;
  /** City calendar date of `administeredAt`. */
  administeredOn: string;
  siteFacilityId: string | null;
  atHome: boolean;
  idempotencyKey: string | null;
  sessionId: string | null;
}

export interface HomeVaccinationRequest {
  id: string;
  residentId: string;
  requestedAt: Date;
  reason: string;
  scheduledFor: string | null;
  doneAt: Date | null;
  wardCode: string;
  districtCode: string;
  teamId: string | null;
  assignedAt: Date | null;
  doseRecordId: string | null;
  cancelledAt: Date | null;
  cancelReason: string | null;
}

/** A place where a mobile vaccination team sets up. */
export interface VaccinationPoint {
  id: string;
  wardCode: string;
  districtCode: string;
  name: string;
  address: string;
  latitude: number | null;
  longitude: number | null;
  active: boolean;
}

/** One opening of a point: when, which vaccine, how many doses planned and given. */
export interface VaccinationSession {
  id: string;
  pointId: string;
  wardCode: string;
  districtCode: string;
  startsAt: Date;
  endsAt: Date;
  vaccine: Vaccine;
  plannedDoses: number;
  dosesGiven: number;
}

/** Coverage counters of one area (ward, district or the city) and age band. */
export interface AreaCounter extends BandCounter {
  area: string;
}

/** Doses of one kind given in one area on one day. */
export interface AreaDoseDay {
  area: string;
  day: string;
  dose: DoseKind;
  count: number;
}

export const toResident = (r: ResidentRow): Resident => ({
  id: r.id,
  nationalId: r.national_id,
  fullName: r.full_name,
  dateOfBirth: r.date_of_birth,
  wardCode: r.ward_code,
  districtCode: r.district_code,
  comorbidities: r.comorbidities,
  homebound: r.homebound,
  student: r.student,
  schooling: r.schooling,
  doses: r.doses,
  primaryDoses: r.primary_doses,
  fullyVaccinated: r.fully_vaccinated,
  boosted: r.boosted,
  primaryCompletedOn: r.primary_completed_on,
  lastDoseOn: r.last_dose_on,
  nextDoseDueOn: r.next_dose_due_on,
  refusal: r.refused_on && r.refusal_reason != null ? { reason: r.refusal_reason, refusedOn: r.refused_on } : null,
});

export const toVaccinationRecord = (r: VaccinationRecordRow): VaccinationRecord => ({
  id: r.id,
  residentId: r.resident_id,
  dose: r.dose,
  vaccine: r.vaccine,
  lot: r.lot,
  administeredAt: r.administered_at,
  administeredOn: r.administered_on,
  siteFacilityId: r.site_facility_id,
  atHome: r.at_home,
  idempotencyKey: r.idempotency_key,
  sessionId: r.session_id,
});

export const toHomeVaccinationRequest = (r: HomeVaccinationRequestRow): HomeVaccinationRequest => ({
  id: r.id,
  residentId: r.resident_id,
  requestedAt: r.requested_at,
  reason: r.reason,
  scheduledFor: r.scheduled_for,
  doneAt: r.done_at,
  wardCode: r.ward_code,
  districtCode: r.district_code,
  teamId: r.team_id,
  assignedAt: r.assigned_at,
  doseRecordId: r.dose_record_id,
  cancelledAt: r.cancelled_at,
  cancelReason: r.cancel_reason,
});

export const toVaccinationPoint = (r: VaccinationPointRow): VaccinationPoint => ({
  id: r.id,
  wardCode: r.ward_code,
  districtCode: r.district_code,
  name: r.name,
  address: r.address,
  latitude: r.latitude,
  longitude: r.longitude,
  active: r.active,
});

export const toVaccinationSession = (r: VaccinationSessionRow): VaccinationSession => ({
  id: r.id,
  pointId: r.point_id,
  wardCode: r.ward_code,
  districtCode: r.district_code,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  vaccine: r.vaccine,
  plannedDoses: r.planned_doses,
  dosesGiven: r.doses_given,
});
