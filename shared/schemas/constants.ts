// Values the schema modules define and the domain and configuration also read, without zod: importing them constructs
// no schema, so a function that needs the value alone does not pay for its module's schemas at cold start (issue 28).
// Each schema module re-exports its own.

/** The helpdesk providers whose signed escalations open complaints (channels.ts). */
export const HELPDESK_PROVIDERS = ['zendesk', 'jira', 'servicenow', 'generic'] as const;

/** Signature algorithm of the manifest: ECDSA over P-256 with SHA-256 (KMS ECC_NIST_P256 / ECDSA_SHA_256; the local key is the same kind). */
export const SIGNING_ALGORITHM = 'ECDSA_SHA_256';

export const DIGEST_FORMAT = 'complaint-audit-digest/1';
/** RFC 9162 §2.1 Merkle tree hash over SHA-256 (leaf prefix 0x00, node prefix 0x01). */
export const MERKLE_ALGORITHM = 'RFC9162-SHA256';

/** Subscriber webhooks: attempts per delivery by default (WEBHOOK_MAX_ATTEMPTS). */
export const DEFAULT_WEBHOOK_MAX_ATTEMPTS = 8;
