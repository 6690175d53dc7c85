// The exports bucket's download link: presigned without the S3 client (#adapters/aws/s3-links), so get-export bundles
// neither it nor the presigner. Under npm start the link points at the S3 stand-in.
import { S3BundleLinks } from '#adapters/aws/s3-links';
import { config, requireSetting } from './config';
import { bundleLinks } from './export-container';

/** Wires the bundle download link into the export composition root (called by get-export). */
export const provideBundleLinks = (): void =>
  bundleLinks.provide(() => {
    const cfg = config();
    return new S3BundleLinks({ exportsBucket: requireSetting('EXPORTS_BUCKET'), region: cfg.AWS_REGION, ...(cfg.S3_ENDPOINT ? { endpoint: cfg.S3_ENDPOINT } : {}) });
  });
