/** Expected failures of the patients subgraph. */
import { DomainError } from '../../common/domain/errors.js';
import type { PatientStatus, TreatmentTier } from '../../common/domain/enums.js';

export class InvalidTierTransition extends DomainError {
  readonly code = 'INVALID_TIER_TRANSITION';
  constructor(readonly patientId: string, readonly from: TreatmentTier, readonly to: TreatmentTier, reason: string) {
    super(reason);
  }
}

export class PatientNotUnderTreatment extends DomainError {
  readonly code = 'PATIENT_NOT_UNDER_TREATMENT';
  constructor(readonly patientId: string, readonly status: PatientStatus) {
    super(`Patient ${patientId} is ${status}; the case is closed`);
  }
}

export class DuplicateActiveCase extends DomainError {
  readonly code = 'DUPLICATE_ACTIVE_CASE';
  /** `existingPatientId` is null when the open case lies outside the viewer's jurisdiction. */
  constructor(readonly existingPatientId: string | null) {
    super(
      existingPatientId
        ? 'A case under treatment already exists for this citizen ID'
        : 'A case under treatment already exists for this citizen ID, outside your jurisdiction; ask its ward or district to close or transfer it',
    );
  }
}

export class NotEligible extends DomainError {
  readonly code = 'NOT_ELIGIBLE';
  constructor(readonly reasons: string[]) {
    super(reasons.join('; '));
  }
}

export class InvalidHelpRequestState extends DomainError {
  readonly code = 'INVALID_HELP_REQUEST_STATE';
  constructor(message: string) {
    super(message);
  }
}
