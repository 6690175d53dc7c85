// The document the openapi function serves (a generated module, so the function bundles neither the route table nor
// zod) is the one generated from the route table now: run `npm run client:generate` after a route or schema change.
import { gunzipSync } from 'node:zlib';
import { OPENAPI_DOCUMENT_GZIP } from '#http/generated/openapi-document';
import { documentText } from '../../scripts/openapi-document';

describe('the openapi function document module', () => {
  it('holds the document built from the route table (run `npm run client:generate` when this fails)', () => {
    const served = JSON.parse(gunzipSync(Buffer.from(OPENAPI_DOCUMENT_GZIP, 'base64')).toString('utf8')) as unknown;
    expect(served).toEqual(JSON.parse(documentText()));
  });
});
