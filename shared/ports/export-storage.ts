// Where export bundles go (an S3 bucket with Object Lock in compliance mode) and where their evidence comes from.
// Like the evidence vault there is no delete and no overwrite: a bundle, once written, stays until its lock expires.
import type { Readable } from 'node:stream';

export interface StoredBundle {
  versionId?: string;
}

export interface ExportStorage {
  /** The bytes of a stored evidence version, as a stream (never buffered). */
  openEvidence(key: string, versionId?: string): Promise<Readable>;
  /** Streams a bundle into the exports bucket under compliance-mode retention (and legal hold when the case has one). */
  putBundle(o: { key: string; body: Readable; retainUntil: string; legalHold: boolean }): Promise<StoredBundle>;
  /** A presigned GET of exactly this bundle version. */
  presignBundle(o: { key: string; versionId?: string; fileName: string; expiresInSeconds: number }): Promise<{ url: string }>;
  setBundleLegalHold(key: string, versionId: string | undefined, on: boolean): Promise<void>;
}
