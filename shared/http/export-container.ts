// Composition root for the export routes: the job store (the table), the exports bucket, and the manifest signer
// (KMS in AWS, a local P-256 key under npm start), each built on first use, so a function is configured only with
// what it calls. The export builder adds the ZIP writer and the PDF summary (export-builder-container.ts).
import { ExportService, type ExportServiceDeps } from '#domain/export-service';
import type { ManifestSigner } from '#ports/manifest-signer';
import { KmsManifestSigner } from '#adapters/aws/kms-manifest-signer';
import { LocalManifestSigner } from '#adapters/local/local-manifest-signer';
import { config, requireSetting } from './config';
import { caseRepository, clock, ulidIds } from './container';
import { exportStorage } from './export-storage';

let service: ExportService | undefined;
let signer: ManifestSigner | undefined;

const buildSigner = (): ManifestSigner => {
  const cfg = config();
  if (cfg.EXPORT_SIGNING_KEY_ARN) return new KmsManifestSigner({ keyArn: cfg.EXPORT_SIGNING_KEY_ARN, region: cfg.AWS_REGION });
  if (cfg.INTEGRATIONS === 'local') return new LocalManifestSigner(requireSetting('EXPORT_SIGNING_KEY_FILE'));
  return new KmsManifestSigner({ keyArn: requireSetting('EXPORT_SIGNING_KEY_ARN'), region: cfg.AWS_REGION });
};

/** The manifest signer; configured (key ARN or file) only where a function signs or publishes the key. */
export const manifestSigner = (): ManifestSigner => (signer ??= buildSigner());

/** Built on first call: a function that never signs needs no signing key in its environment. */
const lazySigner: ManifestSigner = {
  keyId: () => manifestSigner().keyId(),
  publicKeyPem: () => manifestSigner().publicKeyPem(),
  sign: (message) => manifestSigner().sign(message),
};

/** The export service's dependencies without a bundle writer. */
export const exportDeps = (): ExportServiceDeps => {
  const cfg = config();
  const c = clock();
  return { repo: caseRepository(), clock: c, ids: ulidIds(c), storage: exportStorage(), signer: lazySigner, retentionDays: cfg.EXPORT_RETENTION_DAYS ?? cfg.EVIDENCE_RETENTION_DAYS };
};

export const exportService = (): ExportService => (service ??= new ExportService(exportDeps()));
