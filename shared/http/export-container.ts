// Composition root for the export routes: the job store (the table) and, where a function reaches bundles, the exports
// bucket (provided by those functions: export-storage.ts), so requesting, releasing and the customer's cases bundle
// neither the S3 nor the KMS client; the download link is provided apart (bundle-links.ts), signed without the S3
// client, so get-export does not bundle it either. The export builder adds the manifest signer, the multipart upload,
// the ZIP writer and the PDF summary (export-builder-container.ts).
import { ExportService, type ExportServiceDeps } from '#domain/export-service';
import type { ExportStorage } from '#ports/export-storage';
import type { BundleLinks } from '#adapters/aws/s3-links';
import type { ManifestSigner } from '#ports/manifest-signer';
import { config } from './config';
import { caseRepository, clock, ulidIds } from './container';
import { provided } from './provided';

let service: ExportService | undefined;

/** The exports bucket: provided by the functions that reach bundles (get-export, legal-hold, the export builder). */
export const exportsBucket = provided<ExportStorage>('the exports bucket', 'get-export, legal-hold and the export builder');

/** The bundle download link: provided by the function that hands it out (get-export: bundle-links.ts). */
export const bundleLinks = provided<BundleLinks>('the bundle download link', 'get-export');

/** Resolved at each call: the routes that never reach a bundle never build (nor bundle) the storage. */
export const lazyExportStorage: ExportStorage = {
  openEvidence: (key, versionId) => exportsBucket.get().openEvidence(key, versionId),
  putBundle: (o) => exportsBucket.get().putBundle(o),
  presignBundle: (o) => bundleLinks.get().presignBundle(o),
  setBundleLegalHold: (key, versionId, on) => exportsBucket.get().setBundleLegalHold(key, versionId, on),
};

/** Only the export builder signs (it is given the signer: export-builder-container.ts); no route calls this. */
const refuse = () => Promise.reject(new Error('this function signs no manifests (only the export builder does)'));
const unsigned: ManifestSigner = { keyId: refuse, publicKeyPem: refuse, sign: refuse };

/** The export service's dependencies without a bundle writer or signer. */
export const exportDeps = (): ExportServiceDeps => {
  const cfg = config();
  const c = clock();
  return { repo: caseRepository(), clock: c, ids: ulidIds(c), storage: lazyExportStorage, signer: unsigned, retentionDays: cfg.EXPORT_RETENTION_DAYS ?? cfg.EVIDENCE_RETENTION_DAYS };
};

export const exportService = (): ExportService => (service ??= new ExportService(exportDeps()));
