// GET /v1/openapi.json: the OpenAPI 3.1 document generated from the route table.
import { defineCoreHandler } from '#http/handler-core';
import { buildOpenApi } from '#http/openapi';

let doc: ReturnType<typeof buildOpenApi> | undefined;

export const handler = defineCoreHandler('openapi', async () => ({
  body: (doc ??= buildOpenApi()),
  headers: { 'cache-control': 'public, max-age=300' },
}));
