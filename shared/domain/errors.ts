// Domain errors: a small hierarchy the HTTP layer maps to problem+json in one place.

export type DomainErrorKind = 'invalid' | 'forbidden' | 'not_found' | 'conflict' | 'precondition_failed';

export interface FieldError {
  field: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Input that is well-formed but breaks a business rule (e.g. receivedAt in the future). */
export class InvalidInputError extends DomainError {
  readonly kind = 'invalid';
  constructor(
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
  }
}

export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden';
}

export class NotFoundError extends DomainError {
  readonly kind = 'not_found';
}

/** Invalid state transition or a duplicate. */
export class ConflictError extends DomainError {
  readonly kind = 'conflict';
  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** The caller's version (If-Match) is stale, or a concurrent writer won. */
export class StaleVersionError extends DomainError {
  readonly kind = 'precondition_failed';
}
