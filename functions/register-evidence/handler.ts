// POST /v1/complaints/{id}/evidence: register a file (pending) and sign the direct upload of its bytes.
import { evidenceService } from '#http/evidence-container';
import { provideEvidenceLinks } from '#http/evidence-links';
import { defineHandler } from '#http/handler';
import { locationIn } from '#http/route-helpers';
import { route } from '#http/route-modules/registerEvidence';

// The upload is presigned on the evidence bucket (without the S3 client).
provideEvidenceLinks();

export const handler = defineHandler(route, async ({ principal, params, body, ifMatch }) => {
  const out = await evidenceService().register(principal, params.id, body, ifMatch);
  return { status: 201, body: { evidenceId: out.evidence.id, evidence: out.evidence, upload: out.upload }, version: out.case.version, headers: { location: locationIn(route, { id: out.case.id, evidenceId: out.evidence.id }) } };
});
