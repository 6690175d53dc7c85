// Test access to the local email intake's storage: put a raw message where SES receiving would, record a rejection
// of it (as the intake does when its processing fails), and run the real inbound-email handler on an Object Created event.
import { randomUUID } from 'node:crypto';
import { monotonicFactory } from 'ulid';
import { localClock } from '#adapters/local/local-clock';
import { S3RawMailStore } from '#adapters/aws/s3-raw-mail';
import { DynamoInboundLog } from '#adapters/aws/dynamo/inbound-log';
import type { EmailIntakeResult, InboundRejection } from '#schemas/channels';
import { lambdaContext, lazyEntry } from '../../infra/local/server';
import { rawDocClient } from './dynamo';
import type { TestApi } from './api';

const CRLF = '\r\n';

/** A plain-text RFC 822 message. */
export const rawEmail = (o: { from: string; subject: string; text: string; messageId?: string }): Buffer =>
  Buffer.from(
    [`From: ${o.from}`, 'To: complaints@example.org', `Subject: ${o.subject}`, `Message-ID: ${o.messageId ?? `<${randomUUID()}@mail.example.com>`}`, 'Date: Tue, 01 Dec 2026 09:00:00 +0000', 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', o.text, ''].join(CRLF),
  );

export const rawMailStore = (api: TestApi): S3RawMailStore => new S3RawMailStore({ bucket: process.env.INBOUND_MAIL_BUCKET!, region: process.env.AWS_REGION ?? 'local', endpoint: api.s3.endpoint });

/** A fresh key under the SES prefix, as the receipt rule names each message. */
export const inboundKey = (day: string): string => `inbound/${day}/${randomUUID()}`;

/** Stores the message and records a rejection of it (reason intake_failed), as the intake does when processing fails. */
const ulid = monotonicFactory();

export const storedRejection = async (api: TestApi, raw: Buffer): Promise<InboundRejection> => {
  const at = new Date(localClock.nowMs()).toISOString();
  const id = ulid(localClock.nowMs());
  const objectKey = inboundKey(at.slice(0, 10));
  await rawMailStore(api).put(objectKey, raw);
  const rejection: InboundRejection = { id, channel: 'email', reason: 'intake_failed', detail: 'arranged by the test: the intake failed after the message was stored', sizeBytes: raw.length, objectKey, receivedAt: at };
  await new DynamoInboundLog(rawDocClient(), api.tables.cases).recordRejection(rejection);
  return rejection;
};

type InboundHandler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<EmailIntakeResult | { outcome: 'ignored'; reason: string }>;
const inboundHandler = lazyEntry<InboundHandler>('functions/inbound-email/handler.ts');

/** The inbound-email function on the S3 Object Created event SES's write would raise (the object need not exist). */
export const objectCreated = (key: string, size: number, at: string) =>
  inboundHandler()(
    {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Object Created',
      source: 'aws.s3',
      account: '000000000000',
      time: at,
      region: process.env.AWS_REGION ?? 'local',
      resources: [`arn:aws:s3:::${process.env.INBOUND_MAIL_BUCKET!}`],
      detail: { version: '0', bucket: { name: process.env.INBOUND_MAIL_BUCKET! }, object: { key, size }, reason: 'PutObject' },
    },
    lambdaContext('inbound-email'),
  );
