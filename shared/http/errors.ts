// Errors that belong to the HTTP edge (not the domain): auth, payload and media-type problems.
import type { FieldError } from '#domain/errors';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
    readonly errors?: FieldError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (detail: string, errors?: FieldError[]) => new HttpError(400, 'Bad Request', detail, errors);
export const unauthorized = (detail = 'a valid bearer token is required') =>
  new HttpError(401, 'Unauthorized', detail, undefined, { 'www-authenticate': 'Bearer' });
export const forbidden = (detail: string) => new HttpError(403, 'Forbidden', detail);
export const payloadTooLarge = (limit: number) => new HttpError(413, 'Payload Too Large', `request body exceeds ${limit} bytes`);
export const unsupportedMediaType = (got: string | undefined) =>
  new HttpError(415, 'Unsupported Media Type', `send the body as application/json${got ? ` (got ${got})` : ''}`);
export const preconditionFailed = (detail: string) => new HttpError(412, 'Precondition Failed', detail);
