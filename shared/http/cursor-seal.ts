// Sealed page cursors: the position a list stopped at (a table key, a seq) encrypted and authenticated with AES-256-GCM,
// bound to the route, the caller and the filters, so a client can neither read, forge nor reuse one elsewhere.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { canonicalize } from 'json-canonicalize';

/** What a cursor is bound to: the additional authenticated data of its seal (never inside the token itself). */
export interface CursorBinding {
  route: string;
  /** The caller (JWT `sub`): another caller's cursor does not open. */
  subject: string;
  /** Path parameters and every query parameter but `cursor` and `limit` (a page size may change between pages). */
  filters: Readonly<Record<string, unknown>>;
}

/**
 * Token layout: version byte ‖ 12-byte nonce ‖ 16-byte tag ‖ ciphertext of the deflated position, base64url. Deflating
 * first keeps the work queue's cursor (one table key per write shard) short; the seal covers the compressed bytes.
 */
const VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + NONCE_BYTES + TAG_BYTES;
/** A position never comes near this (a key per write shard); it bounds what inflating can produce. */
const MAX_POSITION_BYTES = 64 * 1024;

/**
 * The AES-256 key for cursors from the configured key material (a generated secret, or the local stack's key file):
 * HKDF-SHA256 with a purpose label, so the same material can never double as another kind of key.
 */
export const cursorKeyFrom = (material: Buffer): Buffer => {
  if (material.length < 32) throw new Error('cursor key material must be at least 32 bytes');
  return Buffer.from(hkdfSync('sha256', material, Buffer.alloc(0), 'complaints/page-cursor/v1', 32));
};

const aad = (b: CursorBinding) => Buffer.from(canonicalize({ v: VERSION, route: b.route, subject: b.subject, filters: b.filters }), 'utf8');

export const sealCursor = (key: Buffer, position: string, binding: CursorBinding): string => {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad(binding));
  const sealed = Buffer.concat([cipher.update(deflateRawSync(Buffer.from(position, 'utf8'))), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), nonce, cipher.getAuthTag(), sealed]).toString('base64url');
};

/** The position sealed in `token`, or undefined when it was altered, sealed under another key or bound to another route, caller or query. */
export const openCursor = (key: Buffer, token: string, binding: CursorBinding): string | undefined => {
  const raw = Buffer.from(token, 'base64url');
  // base64url decoding skips what it cannot read: a token that does not round-trip was not one of ours.
  if (raw.length <= HEADER_BYTES || raw[0] !== VERSION || raw.toString('base64url') !== token) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(1, 1 + NONCE_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(aad(binding));
    decipher.setAuthTag(raw.subarray(1 + NONCE_BYTES, HEADER_BYTES));
    // Authenticated before it is inflated: only bytes this service sealed reach zlib.
    const opened = Buffer.concat([decipher.update(raw.subarray(HEADER_BYTES)), decipher.final()]);
    return inflateRawSync(opened, { maxOutputLength: MAX_POSITION_BYTES }).toString('utf8');
  } catch {
    return undefined;
  }
};
