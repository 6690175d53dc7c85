// GET /v1/complaints/{id}/letters/{kind}: a customer letter rendered from the case and its regime (preview; nothing is sent).
import { letterService } from '#http/letters-container';
import { defineCoreHandler } from '#http/handler-core';
import { route } from '#http/route-modules/previewLetter';

export const handler = defineCoreHandler(route, async ({ principal, params }) => ({ body: await letterService().preview(principal, params.id, params.kind) }));
