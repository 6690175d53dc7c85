// GET /v1/complaints/{id}/evidence/{evidenceId}: one item; a verified one comes with an audited 5-minute download link.
import { evidenceService } from '#http/evidence-container';
import { defineCoreHandler } from '#http/handler-core';

export const handler = defineCoreHandler('getEvidence', async ({ principal, params }) => ({ body: await evidenceService().get(principal, params.id, params.evidenceId) }));
