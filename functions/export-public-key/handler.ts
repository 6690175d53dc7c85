// GET /v1/exports/public-key: the key that verifies export manifests (any signed-in user).
import { exportService } from '#http/export-container';
import { defineCoreHandler } from '#http/handler-core';

export const handler = defineCoreHandler('exportPublicKey', async () => ({ body: await exportService().publicKey() }));
