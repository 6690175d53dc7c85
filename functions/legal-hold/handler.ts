// POST /v1/complaints/{id}/legal-hold: apply or release S3 Legal Hold on every stored object of the case (legal, compliance).
import { evidenceService } from '#http/evidence-container';
import { defineHandler } from '#http/handler';

export const handler = defineHandler('legalHold', async ({ principal, params, body, ifMatch }) => {
  const c = await evidenceService().legalHold(principal, params.id, body, ifMatch);
  return { body: c, version: c.version };
});
