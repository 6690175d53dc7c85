// Write-once evidence storage: S3 with Object Lock in AWS, an S3-protocol server locally.
// There is deliberately no delete and no overwrite here: nothing in the service can remove or replace evidence.

export interface PresignedUpload {
  url: string;
  /** Headers the client must send with the PUT exactly as given (they are signed). */
  headers: Record<string, string>;
  expiresAt: string;
}

export interface StoredObject {
  sizeBytes: number;
  /** Hex SHA-256: the checksum storage keeps, or computed by streaming the object where storage keeps none. */
  sha256?: string;
  versionId?: string;
  retainUntil?: string;
  legalHold: boolean;
  lastModified?: string;
}

export interface EvidenceVault {
  /** A presigned PUT binding key, content type, length and SHA-256; the bytes never pass through a function. */
  presignUpload(o: { key: string; contentType: string; sizeBytes: number; sha256: string; expiresInSeconds: number }): Promise<PresignedUpload>;
  /** A presigned GET of exactly this version. */
  presignDownload(o: { key: string; versionId?: string; fileName: string; contentType: string; expiresInSeconds: number }): Promise<{ url: string; expiresAt: string }>;
  /** What storage holds at key (and version), or undefined when there is nothing. */
  inspect(key: string, versionId?: string): Promise<StoredObject | undefined>;
  setLegalHold(key: string, versionId: string | undefined, on: boolean): Promise<void>;
}

/**
 * Server-side write of evidence the service itself received (an email or ticket attachment): once per key
 * (`If-None-Match: *`), with its SHA-256 for storage to check; the verifier then settles it like any upload.
 */
export interface EvidenceWriter {
  store(o: { key: string; contentType: string; body: Uint8Array; sha256: string }): Promise<void>;
}

/**
 * The letters the service sends, kept as evidence: written by the service itself, verified at write (storage checks
 * the SHA-256), under a key the verifier does not handle (`cases/<id>/letters/<evidenceId>`), never an overwrite.
 */
export interface LetterArchive {
  /**
   * Writes `body` at a new key with its SHA-256 (storage refuses the write if the bytes do not match it, and refuses
   * an existing key), under legal hold when the case is held; answers the stored version.
   */
  writeLetter(o: { key: string; body: Uint8Array; contentType: string; sha256: string; legalHold: boolean }): Promise<{ versionId?: string }>;
}
