// POST /v1/complaints/{id}/acknowledgement: the owner records the acknowledgement sent to the customer; the text sent
// (the rendered acknowledgement letter unless the owner supplies one) is kept as verified evidence.
import { letterService } from '#http/letters-container';
import { provideEvidenceVault } from '#http/evidence-vault';
import { defineHandler } from '#http/handler';
import { route } from '#http/route-modules/recordAcknowledgement';

// The letter sent is kept in the evidence bucket.
provideEvidenceVault();

export const handler = defineHandler(route, async ({ principal, params, body, ifMatch }) => {
  const { case: c } = await letterService().acknowledge(principal, params.id, body, ifMatch);
  return { body: c, version: c.version };
});
