// The embedded identity provider: signs JWTs shaped like Cognito's and verifies them against the local clock.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK, type JWTPayload, type KeyLike } from 'jose';
import * as z from 'zod';
import { Role, UserId } from '#schemas/common';

export const ISSUER = 'urn:complaints:local-issuer';
export const AUDIENCE = 'complaints-api';
const ALG = 'ES256';

export const TokenRequest = z
  .object({
    sub: UserId,
    groups: z.array(Role).max(6).default([]),
    scope: z.string().regex(/^[\w/:.-]+( [\w/:.-]+)*$/, 'space-separated scopes').optional(),
    expiresInSeconds: z.number().int().min(1).max(86_400).default(3600),
  })
  .strict();
export type TokenRequest = z.input<typeof TokenRequest>;

export class TokenIssuer {
  private constructor(
    private readonly privateKey: KeyLike,
    private readonly publicKey: KeyLike,
    private readonly now: () => number,
  ) {}

  /** Loads the signing key from `keyFile` (created on first use) or keeps a fresh one in memory. */
  static async create(opts: { keyFile?: string; now: () => number }): Promise<TokenIssuer> {
    if (opts.keyFile && existsSync(opts.keyFile)) {
      const jwk = JSON.parse(readFileSync(opts.keyFile, 'utf8')) as JWK;
      const { d: _d, ...pub } = jwk;
      return new TokenIssuer((await importJWK(jwk, ALG)) as KeyLike, (await importJWK(pub, ALG)) as KeyLike, opts.now);
    }
    const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
    if (opts.keyFile) {
      mkdirSync(dirname(opts.keyFile), { recursive: true });
      writeFileSync(opts.keyFile, JSON.stringify(await exportJWK(privateKey)), { mode: 0o600 });
    }
    return new TokenIssuer(privateKey, publicKey, opts.now);
  }

  async issue(input: TokenRequest): Promise<{ token: string; expiresAt: string; tokenType: 'Bearer' }> {
    const req = TokenRequest.parse(input);
    const iat = Math.floor(this.now() / 1000);
    const exp = iat + req.expiresInSeconds;
    const payload: JWTPayload & Record<string, unknown> = {
      'cognito:groups': req.groups,
      token_use: 'access',
      client_id: 'local-client',
      ...(req.scope ? { scope: req.scope } : {}),
    };
    const token = await new SignJWT(payload)
      .setProtectedHeader({ alg: ALG, kid: 'local-1' })
      .setSubject(req.sub)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .setJti(crypto.randomUUID())
      .sign(this.privateKey);
    return { token, expiresAt: new Date(exp * 1000).toISOString(), tokenType: 'Bearer' };
  }

  /** Verifies signature, issuer, audience and expiry (against the controllable clock). */
  async verify(token: string): Promise<JWTPayload> {
    const { payload } = await jwtVerify(token, this.publicKey, { issuer: ISSUER, audience: AUDIENCE, algorithms: [ALG], currentDate: new Date(this.now()) });
    return payload;
  }
}
