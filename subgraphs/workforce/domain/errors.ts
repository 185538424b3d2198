/** Expected failures of the workforce subgraph, returned as typed members of result unions. */
import { DomainError } from '../../common/domain/errors.js';

export class CaseloadFull extends DomainError {
  readonly code = 'CASELOAD_FULL';
  constructor(message: string, readonly workerId: string | null, readonly wardCode: string) {
    super(message);
  }

  /** The named worker is at the cap, or (no worker named) every eligible worker of the ward is. */
  static of(workerId: string | null, wardCode: string): CaseloadFull {
    return new CaseloadFull(
      workerId
        ? `Health worker ${workerId} is at the caseload cap`
        : `Every care worker of ward ${wardCode} is at the caseload cap; mobilise reinforcements or raise caps`,
      workerId,
      wardCode,
    );
  }
}

export class WorkerInactive extends DomainError {
  readonly code = 'WORKER_INACTIVE';
  constructor(readonly workerId: string) {
    super(`Health worker ${workerId} is not active`);
  }
}

export class WorkerOutsideArea extends DomainError {
  readonly code = 'WORKER_OUTSIDE_AREA';
  constructor(readonly workerId: string, readonly wardCode: string) {
    super(`Health worker ${workerId} does not cover ward ${wardCode}; assign the area first`);
  }
}

export class PatientNotAtHome extends DomainError {
  readonly code = 'PATIENT_NOT_AT_HOME';
  constructor(readonly patientId: string, readonly reason: string) {
    super(`Patient ${patientId} is not a home patient under treatment (${reason})`);
  }
}

export class AlreadyAssigned extends DomainError {
  readonly code = 'ALREADY_ASSIGNED';
  constructor(readonly patientId: string, readonly workerId: string) {
    super(`Patient ${patientId} is already cared for by ${workerId}; end that assignment first`);
  }
}
