// SecretCipher on AWS KMS: Encrypt/Decrypt with the project key and an encryption context (the subscription id), so a
// ciphertext decrypts only for its own subscription and only for roles granted kms:Decrypt with that context.
import { DecryptCommand, EncryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { SecretCipher } from '#ports/secret-cipher';

export class KmsSecretCipher implements SecretCipher {
  constructor(
    private readonly kms: KMSClient,
    private readonly keyArn: string,
  ) {}

  async encrypt(plaintext: string, context: Record<string, string>): Promise<string> {
    const out = await this.kms.send(new EncryptCommand({ KeyId: this.keyArn, Plaintext: Buffer.from(plaintext, 'utf8'), EncryptionContext: context }));
    if (!out.CiphertextBlob) throw new Error('KMS returned no ciphertext');
    return Buffer.from(out.CiphertextBlob).toString('base64');
  }

  async decrypt(ciphertext: string, context: Record<string, string>): Promise<string> {
    // KeyId pins the key: a ciphertext of another key is refused instead of decrypted with whatever key made it.
    const out = await this.kms.send(new DecryptCommand({ KeyId: this.keyArn, CiphertextBlob: Buffer.from(ciphertext, 'base64'), EncryptionContext: context }));
    if (!out.Plaintext) throw new Error('KMS returned no plaintext');
    return Buffer.from(out.Plaintext).toString('utf8');
  }
}
