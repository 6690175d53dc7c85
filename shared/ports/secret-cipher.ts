// Encrypts small secrets (webhook signing secrets) bound to a context: KMS with the project key in AWS, a local AES-GCM key under npm start.
export interface SecretCipher {
  /** Ciphertext (base64) that decrypts only with the same `context`. */
  encrypt(plaintext: string, context: Record<string, string>): Promise<string>;
  decrypt(ciphertext: string, context: Record<string, string>): Promise<string>;
}
