// GET /v1/complaints/{id}/evidence: the evidence log of a case the caller may see.
import { evidenceService } from '#http/evidence-container';
import { defineCoreHandler } from '#http/handler-core';

export const handler = defineCoreHandler('listEvidence', async ({ principal, params }) => ({ body: { items: await evidenceService().list(principal, params.id) } }));
