import { DomainError } from '../../common/domain/errors.js';
import type { DoseKind, Vaccine } from './schedule.js';

export class DoseOutOfOrder extends DomainError {
  readonly code = 'DOSE_OUT_OF_ORDER';
  constructor(message: string, readonly expected: DoseKind | null) {
    super(message);
  }
}

export class DoseTooSoon extends DomainError {
  readonly code = 'DOSE_TOO_SOON';
  constructor(message: string, readonly earliest: string) {
    super(message);
  }
}

export class DuplicateDose extends DomainError {
  readonly code = 'DUPLICATE_DOSE';
  constructor(message: string) {
    super(message);
  }
}

/** The dose does not belong to the session named: outside its hours or of another vaccine. */
export class DoseOutsideSession extends DomainError {
  readonly code = 'DOSE_OUTSIDE_SESSION';
  constructor(message: string, readonly startsAt: Date, readonly endsAt: Date, readonly vaccine: Vaccine) {
    super(message);
  }
}

/**
 * The session is at a point outside the writer's jurisdiction. Points and sessions are public
 * (where to get vaccinated), so telling this apart reveals nothing.
 */
export class SessionOutsideJurisdiction extends DomainError {
  readonly code = 'SESSION_OUTSIDE_JURISDICTION';
  constructor(message: string) {
    super(message);
  }
}
