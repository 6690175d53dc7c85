// The manifest signer: KMS in AWS, a local P-256 key file under npm start. Apart from the export container so that
// only the functions that sign (the export builder, the audit digest job) or publish the key bundle the KMS client.
import type { ManifestSigner } from '#ports/manifest-signer';
import { KmsManifestSigner } from '#adapters/aws/kms-manifest-signer';
import { LocalManifestSigner } from '#adapters/local/local-manifest-signer';
import { config, requireSetting } from './config';

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
export const lazySigner: ManifestSigner = {
  keyId: () => manifestSigner().keyId(),
  publicKeyPem: () => manifestSigner().publicKeyPem(),
  sign: (message) => manifestSigner().sign(message),
};
