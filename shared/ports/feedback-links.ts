// What the satisfaction follow-up needs besides the case table: a signer for its links and an attempt counter per link.

export interface TokenSigner {
  /** The signature (base64url) of `data`. */
  sign(data: string): Promise<string>;
  /** Whether `signature` is ours for `data` (constant-time comparison). */
  verify(data: string, signature: string): Promise<boolean>;
}

export interface AttemptCounter {
  /**
   * Counts one attempt with a link; false when the link already made `max` attempts (nothing counted then).
   * The count lives until `expiresAt` (the link's expiry), after which the link is refused anyway.
   */
  attempt(caseId: string, tokenId: string, max: number, expiresAt: string): Promise<boolean>;
}
