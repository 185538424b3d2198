/** Expected failures of the patients subgraph. */
import { DomainError } from '../../common/domain/errors.js';
import type { PatientStatus, TreatmentTier } from '../../common/domain/enums.js';
import type { SupplyItem } from './supplies.js';

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

/** The contact already became a case (F0): their record is closed to quarantine writes and a second conversion. */
export class ContactAlreadyConverted extends DomainError {
  readonly code = 'CONTACT_ALREADY_CONVERTED';
  constructor(readonly contactId: string, readonly patientId: string) {
    super(`Contact ${contactId} already became case ${patientId}`);
  }
}

/** The contact is under a quarantine order already: end it (e.g. PLACE_CHANGED) before ordering another. */
export class ContactAlreadyQuarantined extends DomainError {
  readonly code = 'CONTACT_ALREADY_QUARANTINED';
  constructor(readonly contactId: string, readonly activeOrderId: string) {
    super(`Contact ${contactId} is already under quarantine order ${activeOrderId}; end it first`);
  }
}

export class QuarantineOrderEnded extends DomainError {
  readonly code = 'QUARANTINE_ORDER_ENDED';
  constructor(readonly orderId: string) {
    super(`Quarantine order ${orderId} has already ended`);
  }
}

/** Decision numbers are unique per issuing ward, start and end decisions alike. */
export class DuplicateDecisionNumber extends DomainError {
  readonly code = 'DUPLICATE_DECISION_NUMBER';
  constructor(readonly wardCode: string, readonly decisionNumber: string) {
    super(`Ward ${wardCode} has already issued a decision numbered ${decisionNumber}`);
  }
}

/** The facility named for a quarantine order is not a concentrated quarantine area (or not active). */
export class NotAQuarantineArea extends DomainError {
  readonly code = 'NOT_A_QUARANTINE_AREA';
  constructor(readonly facilityId: string, reason: string) {
    super(`Facility ${facilityId} ${reason}`);
  }
}

/** The quarantine area has no free place. */
export class QuarantineAreaFull extends DomainError {
  readonly code = 'QUARANTINE_AREA_FULL';
  constructor(readonly facilityId: string) {
    super(`Quarantine area ${facilityId} has no free place`);
  }
}

/** Taking this much would drive the place's stock below zero; nothing was written. */
export class OutOfStock extends DomainError {
  readonly code = 'OUT_OF_STOCK';
  constructor(readonly facilityId: string, readonly item: SupplyItem, readonly onHand: number, readonly requested: number) {
    super(`Facility ${facilityId} has ${onHand} of ${item} on hand; ${requested} cannot be taken`);
  }
}
