// GET /v1/openapi.json: the OpenAPI 3.1 document generated from the route table.
import { defineDatalessHandler } from '#http/handler-core';
import { buildOpenApi } from '#http/openapi';
import { route } from '#http/route-modules/openapi';

let doc: ReturnType<typeof buildOpenApi> | undefined;

export const handler = defineDatalessHandler(route, async () => ({
  body: (doc ??= buildOpenApi()),
  headers: { 'cache-control': 'public, max-age=300' },
}));
