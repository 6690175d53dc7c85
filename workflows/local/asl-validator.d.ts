// Types for asl-validator 4.0.0 (it ships none): the default export as its README documents it.
declare module 'asl-validator' {
  interface ValidationError {
    'Error code': string;
    Message: string;
  }
  interface ValidationResult {
    isValid: boolean;
    errors: ValidationError[];
    errorsText: (separator?: string) => string;
  }
  interface ValidationOptions {
    /** Validate the JSONPath/intrinsic expressions (default true). */
    checkPaths?: boolean;
    /** Validate Task `Resource` ARNs (default true). */
    checkArn?: boolean;
  }
  /** Note: adds a `QueryLanguage` field to every state of `definition`; pass a copy. */
  function validator(definition: unknown, options?: ValidationOptions): ValidationResult;
  export = validator;
}
