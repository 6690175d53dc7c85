// POST /v1/complaints/{id}/final-response: the owner sends the approved final response; the clock stops, the text sent
// (the rendered final-response letter unless the owner supplies one) is kept as verified evidence, and the
// satisfaction follow-up is scheduled.
import { letterService } from '#http/letters-container';
import { provideEvidenceVault } from '#http/evidence-vault';
import { defineHandler } from '#http/handler';
import { route } from '#http/route-modules/sendFinalResponse';

// The letter sent is kept in the evidence bucket.
provideEvidenceVault();

export const handler = defineHandler(route, async ({ principal, params, body, ifMatch }) => {
  const c = await letterService().finalResponse(principal, params.id, body, ifMatch);
  return { body: c, version: c.version };
});
