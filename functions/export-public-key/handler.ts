// GET /v1/exports/public-key: the key that verifies export manifests (any signed-in user).
import { publishedKey } from '#domain/export-service';
import { manifestSigner } from '#http/manifest-signer';
import { defineCoreHandler } from '#http/handler-core';
import { route } from '#http/route-modules/exportPublicKey';

// The key only: no table, no bucket.
export const handler = defineCoreHandler(route, async () => ({ body: await publishedKey(manifestSigner()) }));
