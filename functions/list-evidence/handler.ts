// GET /v1/complaints/{id}/evidence: the evidence log of a case the caller may see, a page at a time.
import { evidenceService } from '#http/evidence-container';
import { definePagedHandler } from '#http/paged-handler';
import { route } from '#http/route-modules/listEvidence';

export const handler = definePagedHandler(route, async ({ principal, params, query }) => ({ body: await evidenceService().list(principal, params.id, query) }));
