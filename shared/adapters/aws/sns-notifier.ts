// Notifier on an SNS topic: one message per recipient, with attributes subscribers filter on
// (an email or chat integration subscribes with a filter policy on `recipient` / `role` / `team`).
import { PublishBatchCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Notification } from '#domain/domain-events';
import type { Notifier } from '#ports/notifier';

const BATCH = 10;

const attr = (value: string) => ({ DataType: 'String', StringValue: value });

export class SnsNotifier implements Notifier {
  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {}

  async notify(notifications: Notification[]): Promise<void> {
    for (let i = 0; i < notifications.length; i += BATCH) {
      const batch = notifications.slice(i, i + BATCH);
      const out = await this.client.send(
        new PublishBatchCommand({
          TopicArn: this.topicArn,
          PublishBatchRequestEntries: batch.map((n, j) => ({
            Id: String(j),
            Subject: n.subject.slice(0, 99),
            Message: JSON.stringify(n),
            MessageAttributes: {
              eventType: attr(n.eventType),
              caseId: attr(n.caseId),
              ...(n.to.kind === 'user'
                ? { recipient: attr(n.to.userId) }
                : n.to.kind === 'customer'
                  ? { recipient: attr(`customer:${n.to.customerId}`), audience: attr('customer') }
                  : { role: attr(n.to.role), team: attr(n.to.team ?? '*') }),
            },
          })),
        }),
      );
      if (out.Failed?.length) throw new Error(`SNS rejected ${out.Failed.length} of ${batch.length} notifications (${out.Failed.map((f) => f.Code).join(', ')})`);
    }
  }
}
