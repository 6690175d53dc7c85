// GET /v1/openapi.json: the OpenAPI 3.1 document generated from the route table.
import { defineHandler } from '#http/handler';
import { buildOpenApi } from '#http/openapi';

let doc: ReturnType<typeof buildOpenApi> | undefined;

export const handler = defineHandler('openapi', async () => ({
  body: (doc ??= buildOpenApi()),
  headers: { 'cache-control': 'public, max-age=300' },
}));
