// POST /v1/complaints/{id}/legal-hold: apply or release S3 Legal Hold on every stored object of the case (legal, compliance).
import { evidenceService } from '#http/evidence-container';
import { provideEvidenceVault } from '#http/evidence-vault';
import { provideExportStorage } from '#http/export-storage';
import { defineHandler } from '#http/handler';
import { route } from '#http/route-modules/legalHold';

// A hold reaches the case's evidence objects and its export bundles.
provideEvidenceVault();
provideExportStorage();

export const handler = defineHandler(route, async ({ principal, params, body, ifMatch }) => {
  const c = await evidenceService().legalHold(principal, params.id, body, ifMatch);
  return { body: c, version: c.version };
});
