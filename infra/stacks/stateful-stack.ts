// StatefulStack: what must survive every deploy (key, tables, user pool, schedule group, dead-letter queues, event
// bus, notification topic, evidence vault, exports vault and signing key, webhook delivery queues); termination protection on.
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { keepBucketPoliciesWithTheirBuckets } from '../constructs/bucket-policy-lifetime';
import { AlarmTopic } from '../constructs/alarm-topic';
import { CaseEvents } from '../constructs/case-events';
import { CaseTable } from '../constructs/case-table';
import { CaseTimers } from '../constructs/checkpoint-scheduler';
import { EncryptionKey } from '../constructs/encryption-key';
import { EvidenceVault } from '../constructs/evidence-vault';
import { ExportVault } from '../constructs/export-vault';
import { InboundChannels } from '../constructs/inbound-channels';
import { FeedbackLinks } from '../constructs/feedback-links';
import { CursorKey } from '../constructs/cursor-key';
import { Identity, type IdentityProps } from '../constructs/identity';
import { WebhookQueues } from '../constructs/webhook-delivery';

export interface StatefulStackProps extends StackProps {
  /** Lower-case prefix of the names other systems use (schedule group, event bus). */
  namePrefix: string;
  identity: IdentityProps;
  /** Where the cases table is on the index migration (CaseTableProps.caseIndexStep); default finished. */
  caseIndexStep?: number;
  /** Default COMPLIANCE-mode retention of every evidence object version, in days. */
  evidence: { retentionDays: number };
  /** COMPLIANCE-mode retention of every export bundle, in days. */
  exports: { retentionDays: number };
  /** Inbound email (SES receiving): on or off, where it may run, the recipients the rule accepts and how long raw messages are kept. */
  /** Who the alarms page: email addresses subscribed to a new alarm topic, or an existing topic. */
  alarms: { emails: readonly string[]; existingTopicArn?: string };
  inbound: { emailReceiving: boolean; receivingRegions?: readonly string[]; recipients: string[]; rawMailRetentionDays: number };
}

export class StatefulStack extends Stack {
  readonly data: CaseTable;
  readonly identity: Identity;
  /** Where the per-case one-time schedules live, and where failed timers and stream batches go. */
  readonly timers: CaseTimers;
  /** The domain-event bus and the notification topic. */
  readonly events: CaseEvents;
  /** The write-once evidence bucket, its access-log bucket and the verifier's dead-letter queue. */
  readonly evidence: EvidenceVault;
  /** The locked exports bucket, the manifest signing key and the export builder's dead-letter queue. */
  readonly exports: ExportVault;
  /** The raw-mail bucket and SES receipt rules, the email intake's dead-letter queue and the helpdesk signing secrets. */
  readonly channels: InboundChannels;
  /** The HMAC key of the customers' satisfaction-feedback links. */
  readonly feedbackLinks: FeedbackLinks;
  /** The key material of sealed page cursors. */
  readonly cursorKey: CursorKey;
  /** The subscriber-webhook delivery queue, its dead-letter queue and the bus rule that fills it. */
  readonly webhooks: WebhookQueues;
  /** Where every alarm of the app goes. */
  readonly alarms: AlarmTopic;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, { ...props, terminationProtection: true });

    const key = new EncryptionKey(this, 'DataKey', {
      description: 'Complaints: case data, audit trail, idempotency records, evidence objects, dead-letter queues and notifications at rest',
    });
    this.data = new CaseTable(this, 'Data', { encryptionKey: key.key, ...(props.caseIndexStep !== undefined ? { caseIndexStep: props.caseIndexStep } : {}) });
    this.identity = new Identity(this, 'Identity', props.identity);
    this.timers = new CaseTimers(this, 'CaseTimers', { namePrefix: props.namePrefix, encryptionKey: key.key });
    this.events = new CaseEvents(this, 'CaseEvents', { namePrefix: props.namePrefix, encryptionKey: key.key });
    this.evidence = new EvidenceVault(this, 'Evidence', { namePrefix: props.namePrefix, encryptionKey: key.key, retentionDays: props.evidence.retentionDays, ...(props.identity.consoleOrigin ? { corsOrigins: [props.identity.consoleOrigin] } : {}) });
    this.exports = new ExportVault(this, 'Exports', { namePrefix: props.namePrefix, encryptionKey: key.key, retentionDays: props.exports.retentionDays, accessLogs: this.evidence.accessLogs });
    this.channels = new InboundChannels(this, 'Channels', { namePrefix: props.namePrefix, encryptionKey: key.key, accessLogs: this.evidence.accessLogs, ...props.inbound });
    this.feedbackLinks = new FeedbackLinks(this, 'FeedbackLinks', { encryptionKey: key.key });
    this.cursorKey = new CursorKey(this, 'CursorKey', { encryptionKey: key.key });
    this.webhooks = new WebhookQueues(this, 'Webhooks', { bus: this.events.bus });
    this.alarms = new AlarmTopic(this, 'Alarms', { encryptionKey: key.key, emails: props.alarms.emails, ...(props.alarms.existingTopicArn ? { existingTopicArn: props.alarms.existingTopicArn } : {}) });

    // Each bucket policy (deny-delete, TLS-only, key-required) is kept exactly as long as its bucket.
    keepBucketPoliciesWithTheirBuckets(this);

    new CfnOutput(this, 'CasesTableName', { value: this.data.cases.table.tableName });
    new CfnOutput(this, 'UserPoolId', { value: this.identity.userPool.userPoolId });
    new CfnOutput(this, 'UserClientId', { value: this.identity.userClient.userPoolClientId });
    new CfnOutput(this, 'MachineClientId', { value: this.identity.machineClient.userPoolClientId });
    new CfnOutput(this, 'TokenUrl', { value: `${this.identity.domain.baseUrl()}/oauth2/token` });
    new CfnOutput(this, 'ScheduleGroupName', { value: this.timers.scheduleGroup.scheduleGroupName });
    new CfnOutput(this, 'EventBusName', { value: this.events.bus.eventBusName });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
    new CfnOutput(this, 'NotificationTopicArn', { value: this.events.notifications.topicArn });
    new CfnOutput(this, 'EvidenceBucketName', { value: this.evidence.bucket.bucketName });
    new CfnOutput(this, 'ExportsBucketName', { value: this.exports.bucket.bucketName });
    new CfnOutput(this, 'ExportSigningKeyArn', { value: this.exports.signingKey.keyArn });
    new CfnOutput(this, 'InboundMailBucketName', { value: this.channels.mailBucket.bucketName });
    if (this.channels.ruleSet) new CfnOutput(this, 'InboundReceiptRuleSetName', { value: this.channels.ruleSet.receiptRuleSetName });
    new CfnOutput(this, 'HelpdeskSecretArn', { value: this.channels.helpdeskSecret.secretArn });
  }
}
