/** Expected failures of the facilities subgraph, returned as typed members of result unions. */
import { DomainError } from '../../common/domain/errors.js';
import type { BedKind, PatientStatus, TreatmentTier } from '../../common/domain/enums.js';
import type { FacilityStatus } from './facility.js';
import type { ReferralStatus, ReferralStep } from './referral.js';

export class NoBedAvailable extends DomainError {
  readonly code = 'NO_BED_AVAILABLE';
  constructor(readonly facilityId: string, readonly bedKind: BedKind) {
    super(`Facility ${facilityId} has no free ${bedKind} bed`);
  }
}

export class BedKindNotOffered extends DomainError {
  readonly code = 'BED_KIND_NOT_OFFERED';
  constructor(readonly facilityId: string, readonly bedKind: BedKind) {
    super(`Facility ${facilityId} has no ${bedKind} beds`);
  }
}

export class FacilityNotAdmitting extends DomainError {
  readonly code = 'FACILITY_NOT_ADMITTING';
  constructor(readonly facilityId: string, readonly status: FacilityStatus) {
    super(`Facility ${facilityId} is ${status}; only ACTIVE facilities admit patients`);
  }
}

export class PatientAlreadyAdmitted extends DomainError {
  readonly code = 'PATIENT_ALREADY_ADMITTED';
  constructor(readonly patientId: string, readonly admissionId: string) {
    super(`Patient ${patientId} is already admitted (admission ${admissionId}); transfer or discharge first`);
  }
}

export class PatientNotUnderTreatment extends DomainError {
  readonly code = 'PATIENT_NOT_UNDER_TREATMENT';
  constructor(readonly patientId: string, readonly status: PatientStatus) {
    super(`Patient ${patientId} is ${status}, not under treatment`);
  }
}

export class AdmissionAlreadyEnded extends DomainError {
  readonly code = 'ADMISSION_ENDED';
  constructor(readonly admissionId: string) {
    super(`Admission ${admissionId} has already ended`);
  }
}

export class InvalidStatusTransition extends DomainError {
  readonly code = 'INVALID_STATUS_TRANSITION';
  constructor(readonly facilityId: string, readonly from: FacilityStatus, readonly to: FacilityStatus) {
    super(`Facility ${facilityId} cannot go from ${from} to ${to}`);
  }
}

export class FacilityHasPatients extends DomainError {
  readonly code = 'FACILITY_HAS_PATIENTS';
  constructor(readonly facilityId: string, readonly occupied: number) {
    super(`Facility ${facilityId} still has ${occupied} admitted patients; transfer or discharge them first`);
  }
}

export class NotATreatmentFacility extends DomainError {
  readonly code = 'NOT_A_TREATMENT_FACILITY';
  constructor(readonly facilityId: string) {
    super(`Facility ${facilityId} is a quarantine area: it holds F1 contacts, not F0 patients`);
  }
}

export class TierNotServed extends DomainError {
  readonly code = 'TIER_NOT_SERVED';
  constructor(readonly facilityId: string, readonly tier: TreatmentTier, readonly servedTiers: readonly TreatmentTier[]) {
    super(`Facility ${facilityId} does not treat ${tier} patients (it serves ${servedTiers.join(', ') || 'no tier'})`);
  }
}

export class BedKindNotForTier extends DomainError {
  readonly code = 'BED_KIND_NOT_FOR_TIER';
  constructor(readonly bedKind: BedKind, readonly tier: TreatmentTier, readonly neededBedKind: BedKind) {
    super(`A ${tier} patient needs a ${neededBedKind} bed, not ${bedKind}; give bedKindOverrideReason to place the patient there anyway`);
  }
}

export class InvalidReferralTransition extends DomainError {
  readonly code = 'INVALID_REFERRAL_TRANSITION';
  constructor(readonly referralId: string, readonly status: ReferralStatus, readonly step: ReferralStep) {
    super(`Referral ${referralId} is ${status}: it cannot be ${{ OFFER: 'offered', ACCEPT: 'accepted', CANCEL: 'cancelled' }[step]} now`);
  }
}
