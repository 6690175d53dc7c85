// GET /v1/complaints/{id}/evidence/{evidenceId}: one item; a verified one comes with an audited 5-minute download link.
import { evidenceService } from '#http/evidence-container';
import { provideEvidenceLinks } from '#http/evidence-links';
import { defineCoreHandler } from '#http/handler-core';
import { route } from '#http/route-modules/getEvidence';

// The download link is presigned on the evidence bucket (without the S3 client).
provideEvidenceLinks();

export const handler = defineCoreHandler(route, async ({ principal, params }) => ({ body: await evidenceService().get(principal, params.id, params.evidenceId) }));
