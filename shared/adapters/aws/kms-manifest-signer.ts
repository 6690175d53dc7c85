// ManifestSigner on an AWS KMS asymmetric key (key spec ECC_NIST_P256, usage SIGN_VERIFY): the private key never
// leaves KMS; we send the SHA-256 digest and get a DER-encoded ECDSA signature back.
import { createHash, createPublicKey } from 'node:crypto';
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { SIGNING_ALGORITHM } from '#schemas/export';
import type { ManifestSigner } from '#ports/manifest-signer';
import { withoutSdkLogger } from '#adapters/aws/sdk-client';

export class KmsManifestSigner implements ManifestSigner {
  private readonly kms: KMSClient;
  private pem: Promise<string> | undefined;

  constructor(private readonly opts: { keyArn: string; region: string }) {
    this.kms = withoutSdkLogger(new KMSClient({ region: opts.region }));
  }

  async keyId(): Promise<string> {
    return this.opts.keyArn;
  }

  publicKeyPem(): Promise<string> {
    this.pem ??= this.kms.send(new GetPublicKeyCommand({ KeyId: this.opts.keyArn })).then((out) => {
      if (!out.PublicKey) throw new Error(`KMS returned no public key for ${this.opts.keyArn}`);
      return createPublicKey({ key: Buffer.from(out.PublicKey), format: 'der', type: 'spki' }).export({ format: 'pem', type: 'spki' }).toString();
    });
    // A failed call is not remembered: the next request asks KMS again.
    this.pem.catch(() => {
      this.pem = undefined;
    });
    return this.pem;
  }

  async sign(message: Buffer): Promise<Buffer> {
    const digest = createHash('sha256').update(message).digest();
    const out = await this.kms.send(new SignCommand({ KeyId: this.opts.keyArn, Message: digest, MessageType: 'DIGEST', SigningAlgorithm: SIGNING_ALGORITHM }));
    if (!out.Signature) throw new Error('KMS returned no signature');
    return Buffer.from(out.Signature);
  }
}
