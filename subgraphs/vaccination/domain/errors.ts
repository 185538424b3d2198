import { DomainError } from '../../common/domain/errors.js';
import type { DoseKind } from './schedule.js';

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
