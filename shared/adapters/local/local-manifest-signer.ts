// The embedded stack's manifest signer: a P-256 key in a PEM file under .data/ (created on first use, readable by
// the owner only). Same curve, hash and DER signature encoding as the KMS key, so one verifier checks both.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ManifestSigner } from '#ports/manifest-signer';

export class LocalManifestSigner implements ManifestSigner {
  private key: KeyObject | undefined;

  constructor(private readonly keyFile: string) {}

  private privateKey(): KeyObject {
    if (this.key) return this.key;
    if (!existsSync(this.keyFile)) {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      mkdirSync(dirname(this.keyFile), { recursive: true });
      // `wx`: two processes starting at once cannot both write a key; the loser reads the winner's.
      try {
        writeFileSync(this.keyFile, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
    this.key = createPrivateKey(readFileSync(this.keyFile));
    if (this.key.asymmetricKeyType !== 'ec' || this.key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') throw new Error(`${this.keyFile} is not a P-256 private key`);
    return this.key;
  }

  async keyId(): Promise<string> {
    const der = createPublicKey(this.privateKey()).export({ format: 'der', type: 'spki' });
    return `local:${createHash('sha256').update(der).digest('hex').slice(0, 16)}`;
  }

  async publicKeyPem(): Promise<string> {
    return createPublicKey(this.privateKey()).export({ format: 'pem', type: 'spki' }).toString();
  }

  async sign(message: Buffer): Promise<Buffer> {
    return sign('sha256', message, { key: this.privateKey(), dsaEncoding: 'der' });
  }
}
