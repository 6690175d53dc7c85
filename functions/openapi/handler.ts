// GET /v1/openapi.json: the OpenAPI 3.1 document generated from the route table, served from the module
// `npm run client:generate` writes (shared/http/generated/openapi-document.ts), decompressed on the first request.
import { gunzipSync } from 'node:zlib';
import { OPENAPI_DOCUMENT_GZIP } from '#http/generated/openapi-document';
import { defineStaticHandler } from '#http/static-handler';

let json: string | undefined;

const documentJson = (): string => {
  const doc = JSON.parse(gunzipSync(Buffer.from(OPENAPI_DOCUMENT_GZIP, 'base64')).toString('utf8')) as { info: { version: string } };
  // As config.ts reads SERVICE_VERSION (default 0.1.0).
  doc.info.version = process.env.SERVICE_VERSION ?? '0.1.0';
  return JSON.stringify(doc);
};

export const handler = defineStaticHandler('openapi', async () => ({
  json: (json ??= documentJson()),
  headers: { 'cache-control': 'public, max-age=300' },
}));
