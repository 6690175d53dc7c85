// Composition root for channel intake (helpdesk webhooks, inbound email): the case table, the evidence vault's
// server-side writer and the helpdesk secrets (Secrets Manager in AWS, a file locally). The inbound mail bucket and the
// MIME parser are added by email-container.ts, so only the email functions bundle mailparser and iconv-lite.
import { ChannelIntakeService } from '#domain/channel-intake';
import { UPLOAD_TTL_MS } from '#domain/evidence';
import type { HelpdeskSecrets } from '#ports/helpdesk-secrets';
import type { ChannelIntakeDeps } from '#domain/channel-intake';
import { S3EvidenceVault } from '#adapters/aws/s3-evidence-vault';
import { SecretsManagerHelpdeskSecrets } from '#adapters/aws/secrets-manager-helpdesk-secrets';
import { DynamoInboundLog } from '#adapters/aws/dynamo/inbound-log';
import { LocalHelpdeskSecrets } from '#adapters/local/local-helpdesk-secrets';
import { config, ConfigError, requireSetting } from './config';
import { caseRepository, clock, dynamo, ulidIds } from './container';
import { intakeComplaintService } from './intake-container';
import { evidenceBucketOptions, evidenceService } from './evidence-container';

// One per variant: in one process (npm start) the helpdesk and the email functions both build theirs.
const intakes = new Map<'helpdesk' | 'email', ChannelIntakeService>();
let secrets: HelpdeskSecrets | undefined;

/** Channel intake; `email` (the raw mail store and parser) only from email-container.ts, the functions that read raw mail. */
export const channelIntake = (email?: () => ChannelIntakeDeps['email']): ChannelIntakeService => {
  let intake = intakes.get(email ? 'email' : 'helpdesk');
  if (!intake) {
    const cfg = config();
    const c = clock();
    intake = new ChannelIntakeService({
      complaints: intakeComplaintService(),
      evidence: evidenceService(),
      // The server-side writer is the plain S3 adapter: the stand-in honours If-None-Match, and the lock record
      // the local vault keeps is read, not written, at upload.
      writer: new S3EvidenceVault(evidenceBucketOptions()),
      repo: caseRepository(),
      clock: c,
      ids: ulidIds(c),
      inbound: new DynamoInboundLog(dynamo().doc, requireSetting('TABLE_NAME')),
      policy: { allowedContentTypes: cfg.evidenceContentTypes, maxBytes: cfg.EVIDENCE_MAX_BYTES, uploadTtlMs: UPLOAD_TTL_MS },
      emailRegime: cfg.EMAIL_DEFAULT_REGIME,
      mailAuth: { authservId: cfg.INBOUND_EMAIL_AUTHSERV_ID, trustUnauthenticated: cfg.INBOUND_EMAIL_TRUST_UNAUTHENTICATED, unverified: cfg.INBOUND_EMAIL_UNVERIFIED },
      // Only the function that reads raw mail (the inbound-email function, replays included) is told the bucket.
      ...(cfg.INBOUND_MAIL_BUCKET && email ? { email: email() } : {}),
    });
    intakes.set(email ? 'email' : 'helpdesk', intake);
  }
  return intake;
};


export const helpdeskSecrets = (): HelpdeskSecrets => {
  if (!secrets) {
    const cfg = config();
    if (cfg.HELPDESK_SECRETS_ARN) secrets = new SecretsManagerHelpdeskSecrets({ secretId: cfg.HELPDESK_SECRETS_ARN, region: cfg.AWS_REGION });
    else if (cfg.INTEGRATIONS === 'local' && cfg.HELPDESK_SECRETS_FILE) secrets = new LocalHelpdeskSecrets(cfg.HELPDESK_SECRETS_FILE);
    else throw new ConfigError('HELPDESK_SECRETS_ARN is required (or HELPDESK_SECRETS_FILE in local mode)');
  }
  return secrets;
};
