/**
 * Expected failures of domain code: thrown by commands and rules, turned into typed members of a
 * mutation's result union by the GraphQL layer (the Pothos errors plugin). Plain classes: domain
 * code that throws them needs nothing of GraphQL or Apollo.
 */
export interface FieldProblem {
  /** Path of the offending input field, e.g. ["input", "nationalId"]. */
  path: string[];
  message: string;
}

/** Base of every expected failure: a stable machine-readable code and a message for people. */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  constructor(message: string) {
    // An expected failure is an answer, and its stack is formatted only if someone reads it. The
    // errors plugin copies every own property's descriptor of the error it returns; with V8's own
    // `stack` (a data property) that formatted the stack through source maps, 8 % of the
    // facilities subgraph's CPU under admission contention, where most attempts end in
    // NoBedAvailable. The frames are captured as usual (a domain error thrown where no result
    // union declares it is logged as unexpected, with its stack), and `stack` is an accessor.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    const trace: { stack?: string } = {};
    Error.captureStackTrace(trace, new.target);
    let stack: string | undefined;
    Object.defineProperty(this, 'stack', {
      configurable: true,
      enumerable: false,
      get: () => {
        if (stack === undefined) {
          const frames = trace.stack ?? '';
          const firstFrame = frames.indexOf('\n');
          const name = this.name === 'Error' ? this.constructor.name : this.name;
          stack = `${name}: ${this.message}${firstFrame < 0 ? '' : frames.slice(firstFrame)}`;
        }
        return stack;
      },
      set: (value: string) => void (stack = value),
    });
  }
}

export class ValidationError extends DomainError {
  readonly code = 'VALIDATION_FAILED';
  constructor(readonly fields: FieldProblem[]) {
    super(fields.length === 1 ? fields[0]!.message : `${fields.length} input fields are invalid`);
    this.name = 'ValidationError';
  }
}

export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND';
  constructor(readonly entity: string, readonly id: string) {
    super(`${entity} ${id} does not exist`);
    this.name = 'NotFoundError';
  }
}

/** A request that conflicts with the current state (e.g. an idempotency key reused for other input). */
export class ConflictError extends DomainError {
  readonly code = 'CONFLICT';
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}

/** Collects problems while validating input, then throws them together. */
export class Problems {
  private readonly list: FieldProblem[] = [];
  add(path: string[], message: string): this {
    this.list.push({ path, message });
    return this;
  }
  check(ok: boolean, path: string[], message: string): this {
    if (!ok) this.add(path, message);
    return this;
  }
  get empty(): boolean {
    return this.list.length === 0;
  }
  throwIfAny(): void {
    if (this.list.length) throw new ValidationError(this.list);
  }
}
