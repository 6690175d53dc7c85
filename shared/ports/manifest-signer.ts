// Signs export manifests: a KMS asymmetric key (ECC_NIST_P256, ECDSA_SHA_256) in AWS, a local P-256 key under .data/.
// Either way the signature is DER-encoded ECDSA over SHA-256 of the message, verifiable with the published SPKI key.

export interface ManifestSigner {
  /** Stable id of the signing key (the KMS key ARN, or `local:<fingerprint>`). */
  keyId(): Promise<string>;
  /** The verification key, SPKI PEM. */
  publicKeyPem(): Promise<string>;
  /** DER-encoded ECDSA P-256 signature over SHA-256(message). */
  sign(message: Buffer): Promise<Buffer>;
}
