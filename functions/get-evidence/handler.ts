// GET /v1/complaints/{id}/evidence/{evidenceId}: one item; a verified one comes with an audited 5-minute download link.
import { evidenceService } from '#http/evidence-container';
import { provideEvidenceVault } from '#http/evidence-vault';
import { defineCoreHandler } from '#http/handler-core';
import { route } from '#http/route-modules/getEvidence';

// The download link is presigned on the evidence bucket.
provideEvidenceVault();

export const handler = defineCoreHandler(route, async ({ principal, params }) => ({ body: await evidenceService().get(principal, params.id, params.evidenceId) }));
