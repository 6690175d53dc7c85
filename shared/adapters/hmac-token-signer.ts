// TokenSigner with HMAC-SHA256 (node:crypto): the key comes from Secrets Manager in AWS and a local file under
// npm start; it is loaded once per process and never leaves it.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { TokenSigner } from '#ports/feedback-links';

export class HmacTokenSigner implements TokenSigner {
  private key: Promise<Buffer> | undefined;

  constructor(private readonly loadKey: () => Promise<Buffer>) {}

  private async secret(): Promise<Buffer> {
    // A failed load is not cached: the next request tries again.
    this.key ??= this.loadKey().catch((err: unknown) => {
      this.key = undefined;
      throw err;
    });
    return this.key;
  }

  async sign(data: string): Promise<string> {
    return createHmac('sha256', await this.secret()).update(data).digest('base64url');
  }

  async verify(data: string, signature: string): Promise<boolean> {
    const expected = Buffer.from(await this.sign(data), 'base64url');
    const given = Buffer.from(signature, 'base64url');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
