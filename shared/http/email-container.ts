// Composition root of the one function that reads raw mail (the inbound-email function, which also replays recorded
// rejections for the replay route): channel intake plus the inbound mail bucket and the MIME parser (mailparser,
// iconv-lite), which no other function bundles.
import type { ChannelIntakeService } from '#domain/channel-intake';
import type { MailParser } from '#ports/mail-parser';
import { S3RawMailStore } from '#adapters/aws/s3-raw-mail';
import { NodemailerMailParser } from '#adapters/mail/mailparser';
import { channelIntake } from './channels-container';
import { config, requireSetting } from './config';

let parser: MailParser | undefined;
let rawMail: S3RawMailStore | undefined;

export const mailParser = (): MailParser => (parser ??= new NodemailerMailParser());

export const rawMailStore = (): S3RawMailStore => {
  const cfg = config();
  return (rawMail ??= new S3RawMailStore({ bucket: requireSetting('INBOUND_MAIL_BUCKET'), region: cfg.AWS_REGION, ...(cfg.S3_ENDPOINT ? { endpoint: cfg.S3_ENDPOINT } : {}) }));
};

/** Channel intake that can read and parse stored raw mail. */
export const emailIntake = (): ChannelIntakeService => channelIntake(() => ({ store: rawMailStore(), parser: mailParser(), maxBytes: config().INBOUND_EMAIL_MAX_BYTES }));
