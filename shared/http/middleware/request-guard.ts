// Body guard: 413 above the size limit, 415 for anything but JSON, 400 for malformed JSON.
// (@middy/http-json-body-parser answers 415 for malformed JSON; our contract says 400, so we parse here.)
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { badRequest, payloadTooLarge, unsupportedMediaType } from '../errors';

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;.*)?$/i;

/** `keepRaw`: check size and type but leave the body as sent (a signature is computed over the exact bytes). */
export const requestGuard = (opts: { maxBytes: number; expectsBody: boolean; keepRaw?: boolean }): MiddlewareObj<APIGatewayProxyEventV2> => ({
  before: (request) => {
    const event = request.event;
    const raw = event.body;
    if (raw === undefined || raw === null || raw === '') {
      if (opts.expectsBody) throw badRequest('a JSON request body is required', [{ field: 'body', message: 'required' }]);
      return;
    }
    const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
    if (bytes.length > opts.maxBytes) throw payloadTooLarge(opts.maxBytes);
    if (!opts.expectsBody) return;
    const contentType = event.headers?.['content-type'];
    if (!contentType || !JSON_TYPE.test(contentType)) throw unsupportedMediaType(contentType);
    if (opts.keepRaw) return;
    try {
      (event as { body: unknown }).body = JSON.parse(bytes.toString('utf8')) as unknown;
    } catch (err) {
      throw badRequest(`request body is not valid JSON: ${(err as Error).message}`, [{ field: 'body', message: 'malformed JSON' }]);
    }
  },
});
