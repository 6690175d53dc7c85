// POST /local/inbound-email: what SES receiving does in AWS, locally: the raw message lands in the inbound mail
// bucket (the local S3), and the same inbound-email handler runs on the same "Object Created" event shape.
import { randomUUID } from 'node:crypto';
import { S3RawMailStore } from '#adapters/aws/s3-raw-mail';
import { localClock } from '#adapters/local/local-clock';
import type { EmailIntakeResult } from '#schemas/channels';
import { lambdaContext, lazyEntry } from './server';

type InboundHandler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<EmailIntakeResult | { outcome: 'ignored'; reason: string }>;

/** HTTP status of each outcome: a new case 201, added to (or already in) a case 200, refused 422 (and recorded). */
const STATUS = { created: 201, attached: 200, existing: 200, rejected: 422, ignored: 500 } as const;

export const localInboundEmail = (opts: { bucket: string; endpoint: string; region: string }) => {
  const store = new S3RawMailStore(opts);
  const handler = lazyEntry<InboundHandler>('functions/inbound-email/handler.ts');
  return async (raw: Buffer): Promise<{ status: number; body: unknown }> => {
    const now = new Date(localClock.nowMs()).toISOString();
    // SES names the object by its message id under the rule's prefix; a random id stands in for it.
    const key = `inbound/${now.slice(0, 10)}/${randomUUID()}`;
    await store.put(key, raw);
    const out = await handler()(
      {
        version: '0',
        id: randomUUID(),
        'detail-type': 'Object Created',
        source: 'aws.s3',
        account: '000000000000',
        time: now,
        region: opts.region,
        resources: [`arn:aws:s3:::${opts.bucket}`],
        detail: { version: '0', bucket: { name: opts.bucket }, object: { key, size: raw.length }, reason: 'PutObject' },
      },
      lambdaContext('inbound-email'),
    );
    return { status: STATUS[out.outcome], body: out };
  };
};
