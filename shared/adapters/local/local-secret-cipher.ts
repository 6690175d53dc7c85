// The embedded stack's SecretCipher: AES-256-GCM with a key file under .data/ (created on first use, owner-only), the
// context as additional authenticated data, like KMS's encryption context. Never deployed.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SecretCipher } from '#ports/secret-cipher';

const aad = (context: Record<string, string>) => Buffer.from(JSON.stringify(Object.entries(context).sort(([a], [b]) => a.localeCompare(b))));

export class LocalSecretCipher implements SecretCipher {
  private key: Buffer | undefined;

  constructor(private readonly keyFile: string) {}

  private secretKey(): Buffer {
    if (this.key) return this.key;
    if (!existsSync(this.keyFile)) {
      mkdirSync(dirname(this.keyFile), { recursive: true });
      try {
        writeFileSync(this.keyFile, randomBytes(32), { mode: 0o600, flag: 'wx' });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
    const key = readFileSync(this.keyFile);
    if (key.length !== 32) throw new Error(`${this.keyFile} is not a 256-bit key`);
    return (this.key = key);
  }

  encrypt(plaintext: string, context: Record<string, string>): Promise<string> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.secretKey(), iv).setAAD(aad(context));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Promise.resolve(Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64'));
  }

  decrypt(ciphertext: string, context: Record<string, string>): Promise<string> {
    const raw = Buffer.from(ciphertext, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.secretKey(), raw.subarray(0, 12)).setAAD(aad(context));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Promise.resolve(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8'));
  }
}
