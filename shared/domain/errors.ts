// Domain errors: a small hierarchy the HTTP layer maps to problem+json in one place.
import type { ProblemExtensions } from '#schemas/common';

export type DomainErrorKind = 'invalid' | 'unauthorized' | 'forbidden' | 'not_found' | 'conflict' | 'precondition_failed' | 'gone' | 'throttled';

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
    /** Problem extension members: only those the OpenAPI document names (ProblemExtensions). */
    readonly details: ProblemExtensions = {},
  ) {
    super(message);
  }
}

/** The caller's version (If-Match) is stale, or a concurrent writer won. */
export class StaleVersionError extends DomainError {
  readonly kind = 'precondition_failed';
}

/** A credential that is not ours: a forged or garbled signed link (401). */
export class UnauthorizedError extends DomainError {
  readonly kind = 'unauthorized';
}

/** A signed link that was ours but is no longer usable: expired or already used (410). */
export class GoneError extends DomainError {
  readonly kind = 'gone';
}

/** Too many attempts with one credential (429). */
export class TooManyRequestsError extends DomainError {
  readonly kind = 'throttled';
}
