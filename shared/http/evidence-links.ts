// The evidence bucket's upload and download links: presigned without the S3 client (#adapters/aws/s3-links), so the
// functions that only hand out links (get-evidence, register-evidence) bundle neither it nor the presigner. Under
// npm start the links point at the S3 stand-in (the local Object Lock record plays no part in a link).
import { S3EvidenceLinks } from '#adapters/aws/s3-links';
import { evidenceBucketOptions, evidenceLinks } from './evidence-container';

/** Wires the evidence links into the evidence composition root (called by the functions that hand them out). */
export const provideEvidenceLinks = (): void =>
  evidenceLinks.provide(() => new S3EvidenceLinks(evidenceBucketOptions()));
