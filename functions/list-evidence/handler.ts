// GET /v1/complaints/{id}/evidence: the evidence log of a case the caller may see, a page at a time.
import { evidenceService } from '#http/evidence-container';
import { definePagedHandler } from '#http/paged-handler';

export const handler = definePagedHandler('listEvidence', async ({ principal, params, query }) => ({ body: await evidenceService().list(principal, params.id, query) }));
