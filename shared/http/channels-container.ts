// Composition root for channel intake (helpdesk webhooks, inbound email): the case table, the evidence vault's
// server-side writer, the helpdesk secrets (Secrets Manager in AWS, a file locally) and the inbound mail bucket.
import { ChannelIntakeService } from '#domain/channel-intake';
import { UPLOAD_TTL_MS } from '#domain/evidence';
import type { HelpdeskSecrets } from '#ports/helpdesk-secrets';
import type { MailParser } from '#ports/mail-parser';
import { S3EvidenceVault } from '#adapters/aws/s3-evidence-vault';
import { SecretsManagerHelpdeskSecrets } from '#adapters/aws/secrets-manager-helpdesk-secrets';
import { DynamoInboundLog } from '#adapters/aws/dynamo/inbound-log';
import { S3RawMailStore } from '#adapters/aws/s3-raw-mail';
import { LocalHelpdeskSecrets } from '#adapters/local/local-helpdesk-secrets';
import { NodemailerMailParser } from '#adapters/mail/mailparser';
import { config, ConfigError, requireSetting } from './config';
import { caseRepository, clock, complaintService, dynamo, ulidIds } from './container';
import { evidenceService } from './evidence-container';

let intake: ChannelIntakeService | undefined;
let secrets: HelpdeskSecrets | undefined;
let parser: MailParser | undefined;
let rawMail: S3RawMailStore | undefined;

export const channelIntake = (): ChannelIntakeService => {
  if (!intake) {
    const cfg = config();
    const c = clock();
    intake = new ChannelIntakeService({
      complaints: complaintService(),
      evidence: evidenceService(),
      // The server-side writer is the plain S3 adapter: the stand-in honours If-None-Match, and the lock record
      // the local vault keeps is read, not written, at upload.
      writer: new S3EvidenceVault({
        bucket: requireSetting('EVIDENCE_BUCKET'),
        region: cfg.AWS_REGION,
        ...(cfg.S3_ENDPOINT ? { endpoint: cfg.S3_ENDPOINT } : {}),
        ...(cfg.EVIDENCE_KMS_KEY_ARN ? { kmsKeyArn: cfg.EVIDENCE_KMS_KEY_ARN } : {}),
      }),
      repo: caseRepository(),
      clock: c,
      ids: ulidIds(c),
      inbound: new DynamoInboundLog(dynamo().doc, requireSetting('TABLE_NAME')),
      policy: { allowedContentTypes: cfg.evidenceContentTypes, maxBytes: cfg.EVIDENCE_MAX_BYTES, uploadTtlMs: UPLOAD_TTL_MS },
      emailRegime: cfg.EMAIL_DEFAULT_REGIME,
      mailAuth: { authservId: cfg.INBOUND_EMAIL_AUTHSERV_ID, trustUnauthenticated: cfg.INBOUND_EMAIL_TRUST_UNAUTHENTICATED, unverified: cfg.INBOUND_EMAIL_UNVERIFIED },
      // Only the functions that read raw mail (email intake, rejection replay) are told the bucket.
      ...(cfg.INBOUND_MAIL_BUCKET ? { email: { store: rawMailStore(), parser: mailParser(), maxBytes: cfg.INBOUND_EMAIL_MAX_BYTES } } : {}),
    });
  }
  return intake;
};

/** The inbound log alone (the rejections route reads it without the rest of intake). */
export const inboundLog = () => new DynamoInboundLog(dynamo().doc, requireSetting('TABLE_NAME'));

export const helpdeskSecrets = (): HelpdeskSecrets => {
  if (!secrets) {
    const cfg = config();
    if (cfg.HELPDESK_SECRETS_ARN) secrets = new SecretsManagerHelpdeskSecrets({ secretId: cfg.HELPDESK_SECRETS_ARN, region: cfg.AWS_REGION });
    else if (cfg.INTEGRATIONS === 'local' && cfg.HELPDESK_SECRETS_FILE) secrets = new LocalHelpdeskSecrets(cfg.HELPDESK_SECRETS_FILE);
    else throw new ConfigError('HELPDESK_SECRETS_ARN is required (or HELPDESK_SECRETS_FILE in local mode)');
  }
  return secrets;
};

export const mailParser = (): MailParser => (parser ??= new NodemailerMailParser());

export const rawMailStore = (): S3RawMailStore => {
  const cfg = config();
  return (rawMail ??= new S3RawMailStore({ bucket: requireSetting('INBOUND_MAIL_BUCKET'), region: cfg.AWS_REGION, ...(cfg.S3_ENDPOINT ? { endpoint: cfg.S3_ENDPOINT } : {}) }));
};
