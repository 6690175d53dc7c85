// The staff console's Content-Security-Policy: one text for the CloudFront response-headers policy and the local server.

/**
 * Scripts only from the console's own origin (no 'unsafe-inline', no eval), nothing may frame it, and it may connect
 * only to itself and the given origins (the API, Cognito, the evidence bucket). Cloudscape sets element styles at run
 * time, hence style-src 'unsafe-inline' (styles only, never scripts).
 */
export const consoleContentSecurityPolicy = (connectSrc: readonly string[]): string =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self' ${connectSrc.join(' ')}`.trim(),
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join('; ');
