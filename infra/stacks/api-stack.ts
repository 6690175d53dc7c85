// ApiStack: the stateless side (HTTP API, functions, case-timer machinery, approval and escalation workflows, evidence
// verification, alarms), wired to
// the stateful stack's table, user pool, schedule group, dead-letter queues, event bus, topic and evidence bucket.
import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { CfnRule, type Rule } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ROUTES } from '#http/routes';
import { Api } from '../constructs/api';
import type { FunctionSettings } from '../constructs/api-function';
import type { CaseEvents } from '../constructs/case-events';
import type { CaseTable } from '../constructs/case-table';
import { CaseWorkflows } from '../constructs/case-workflows';
import { CheckpointScheduler, type CaseTimers } from '../constructs/checkpoint-scheduler';
import { EmailIntake } from '../constructs/email-intake';
import { EvidenceVerifier } from '../constructs/evidence-verifier';
import type { InboundChannelStore } from '../constructs/inbound-channels';
import type { EvidenceStore } from '../constructs/evidence-vault';
import { ExportBuilder } from '../constructs/export-builder';
import { AuditDigest } from '../constructs/audit-digest';
import type { CursorSealingKey } from '../constructs/cursor-key';
import type { FeedbackSigningKey } from '../constructs/feedback-links';
import { RetentionJob } from '../constructs/retention-job';
import { WebhookDelivery, type WebhookQueueStore } from '../constructs/webhook-delivery';
import type { ExportStore } from '../constructs/export-vault';
import type { Identity } from '../constructs/identity';
import { Observability } from '../constructs/observability';
import { ReportProjection } from '../constructs/report-projection';
import { ProblemSignals } from '../constructs/problem-signals';

export interface ApiStackProps extends StackProps, FunctionSettings {
  /** Lower-case prefix of the names schedules store (checkpoint function, Scheduler execution role) and of the state machines. */
  namePrefix: string;
  /** The staff console's origin: the API's only CORS origin (none when the console is off). */
  consoleOrigin?: string;
  data: Pick<CaseTable, 'cases' | 'idempotency'>;
  identity: Pick<Identity, 'userPool' | 'clients'>;
  timers: Pick<CaseTimers, 'scheduleGroupName' | 'scheduleDeadLetters' | 'streamDeadLetters' | 'projectionDeadLetters' | 'retentionDeadLetters'>;
  events: Pick<CaseEvents, 'bus' | 'notifications' | 'encryptionKey'>;
  evidence: EvidenceStore;
  exports: ExportStore;
  /** The raw-mail bucket, the email intake's dead-letter queue and the helpdesk signing secrets (stateful stack). */
  channels: InboundChannelStore;
  throttle: { rateLimit: number; burstLimit: number };
  /** The feedback-link signing key (the stateful stack's secret). */
  feedbackLinks: FeedbackSigningKey;
  /** The key material of sealed page cursors (the list routes). */
  cursorKey: CursorSealingKey;
  /** The subscriber-webhook delivery queue and its dead-letter queue (stateful stack). */
  webhooks: WebhookQueueStore;
  /** Where every alarm goes (the stateful stack's alarm topic). */
  alarmTopic: ITopic;
  /** The account's Lambda concurrency quota, for the 80 % alarm. */
  accountConcurrency?: number;
  /** The API edge is on (complaints:edge): clients use the edge stack's ApiUrl, so this stack's URL is the origin's. */
  behindEdge?: boolean;
}

export class ApiStack extends Stack {
  readonly api: Api;
  readonly scheduler: CheckpointScheduler;
  readonly evidenceVerifier: EvidenceVerifier;
  /** The email intake, when SES receiving is on (complaints:emailIntake). */
  readonly emailIntake?: EmailIntake;
  readonly workflows: CaseWorkflows;
  readonly observability: Observability;
  /** Events an EventBridge rule could not deliver to its Lambda target after every retry. */
  readonly eventTargetDeadLetters: Queue;
  readonly reports: ReportProjection;
  readonly exportBuilder: ExportBuilder;
  readonly retention: RetentionJob;
  readonly auditDigest: AuditDigest;
  readonly webhooks: WebhookDelivery;
  readonly problemSignals: ProblemSignals;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);

    const common = { environment: props.environment, serviceName: props.serviceName, metricsNamespace: props.metricsNamespace, logRetention: props.logRetention };
    // The machines have fixed names: the route and stream functions name them by computed ARN, not by reference.
    this.workflows = new CaseWorkflows(this, 'Workflows', { ...common, namePrefix: props.namePrefix, cases: props.data.cases });
    const workflows = { approval: this.workflows.approval, escalation: this.workflows.escalation };
    this.api = new Api(this, 'Api', {
      ...common,
      data: { cases: props.data.cases, idempotency: props.data.idempotency },
      auth: { userPool: props.identity.userPool, clients: props.identity.clients },
      ...(props.consoleOrigin ? { corsOrigins: [props.consoleOrigin] } : {}),
      evidence: props.evidence,
      exports: props.exports,
      throttle: props.throttle,
      channels: props.channels,
      workflows,
      feedbackLinks: props.feedbackLinks,
      cursorKey: props.cursorKey,
    });
    this.scheduler = new CheckpointScheduler(this, 'CheckpointScheduler', {
      ...common,
      namePrefix: props.namePrefix,
      cases: props.data.cases,
      timers: props.timers,
      events: props.events,
      workflows,
      feedbackLinks: props.feedbackLinks,
      // The customer opens the link; the API's own route accepts it (a web page in front may replace this with FEEDBACK_LINK_TEMPLATE).
      feedbackLinkTemplate: props.environment.FEEDBACK_LINK_TEMPLATE ?? `${this.api.httpApi.apiEndpoint}/v1/feedback/{token}`,
    });
    this.reports = new ReportProjection(this, 'ReportProjection', { ...common, cases: props.data.cases, deadLetters: props.timers.projectionDeadLetters });
    this.exportBuilder = new ExportBuilder(this, 'ExportBuilder', { ...common, cases: props.data.cases, evidence: props.evidence, exports: props.exports });
    // Export requests reach the builder through the case stream (the request's audit event): a transactional outbox.
    this.scheduler.caseStream.launchExports(this.exportBuilder.builder.function);
    this.retention = new RetentionJob(this, 'RetentionJob', { ...common, bus: props.events.bus, cases: props.data.cases, evidence: props.evidence, exports: props.exports, deadLetters: props.timers.retentionDeadLetters });
    // The audit trail's anchor outside the table: a signed digest every AUDIT_DIGEST_MINUTES (and at every export, above).
    this.auditDigest = new AuditDigest(this, 'AuditDigest', { ...common, cases: props.data.cases, exports: props.exports, deadLetters: props.timers.scheduleDeadLetters });
    this.evidenceVerifier = new EvidenceVerifier(this, 'EvidenceVerifier', { ...common, cases: props.data.cases, evidence: props.evidence });
    if (props.channels.emailReceiving) {
      this.emailIntake = new EmailIntake(this, 'EmailIntake', { ...common, cases: props.data.cases, evidence: props.evidence, channels: props.channels });
      // A recorded rejection is replayed by the email intake itself: the replay route invokes it (no mail parser of its own).
      this.api.functions.get(ROUTES.replayInboundRejection.entry)!.replayInboundMailThrough(this.emailIntake.intake.function);
    }
    // Subscriber webhooks: published events from the stateful queue the bus fills, signing secrets under the project key (the subscribe route encrypts them).
    this.webhooks = new WebhookDelivery(this, 'WebhookDelivery', { ...common, cases: props.data.cases, queues: props.webhooks, secretKey: props.data.cases.encryptionKey });
    this.webhooks.allowSubscribe(this.api.functions.get(ROUTES.createWebhook.entry)!, props.data.cases.encryptionKey);
    // Problem management (#32): the daily spike and suggestion job, pipeline change events, and the close route's notifications.
    this.problemSignals = new ProblemSignals(this, 'ProblemSignals', { ...common, cases: props.data.cases, events: props.events, deadLetters: props.timers.scheduleDeadLetters });
    this.problemSignals.notifyFrom(this.api.functions.get(ROUTES.closeProblem.entry)!);
    // Every EventBridge rule that targets a Lambda function sends what it cannot deliver (after its retries) here, instead
    // of dropping it: the event can be replayed, and one queue-depth metric replaces a FailedInvocations alarm per rule.
    const eventRules: [string, Rule][] = [
      ['EvidenceObjectCreated', this.evidenceVerifier.rule],
      ['RetentionDaily', this.retention.rule],
      ...(this.emailIntake ? [['InboundMailObjectCreated', this.emailIntake.rule] as [string, Rule]] : []),
      ['WebhookRetrySweep', this.webhooks.retryRule],
      ['ProblemSignalsDaily', this.problemSignals.dailyRule],
      ['PipelineChanges', this.problemSignals.changeRule],
    ];
    this.eventTargetDeadLetters = new Queue(new Construct(this, 'EventTargets'), 'DeadLetters', {
      // SQS-managed keys: EventBridge may then write without a grant on the project key.
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.eventTargetDeadLetters).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'This queue is itself the dead-letter queue of the EventBridge rules\' Lambda targets.' });
    for (const [, rule] of eventRules) {
      (rule.node.defaultChild as CfnRule).addPropertyOverride('Targets.0.DeadLetterConfig', { Arn: this.eventTargetDeadLetters.queueArn });
      this.eventTargetDeadLetters.addToResourcePolicy(
        new PolicyStatement({
          principals: [new ServicePrincipal('events.amazonaws.com')],
          actions: ['sqs:SendMessage'],
          resources: [this.eventTargetDeadLetters.queueArn],
          conditions: { ArnEquals: { 'aws:SourceArn': rule.ruleArn } },
        }),
      );
    }

    this.observability = new Observability(this, 'Observability', {
      httpApi: this.api.httpApi,
      accessLogs: this.api.accessLogs,
      tables: [props.data.cases, props.data.idempotency],
      webhookQueue: props.webhooks.queue,
      alarmTopic: props.alarmTopic,
      extraAlarms: [this.retention.overdueAlarm],
      ...(props.accountConcurrency ? { accountConcurrency: props.accountConcurrency } : {}),
      functions: new Map([...this.api.functions, ...this.scheduler.functions, ...this.evidenceVerifier.functions, ...this.workflows.functions, ...this.reports.functions, ...this.exportBuilder.functions, ...this.retention.functions, ...this.auditDigest.functions, ...(this.emailIntake?.functions ?? []), ...this.webhooks.functions, ...this.problemSignals.functions]),
      deadLetterQueues: new Map([
        ['ScheduleDeadLetters', props.timers.scheduleDeadLetters],
        ['StreamDeadLetters', props.timers.streamDeadLetters],
        ['EvidenceVerificationDeadLetters', props.evidence.verificationDeadLetters],
        ['ProjectionDeadLetters', props.timers.projectionDeadLetters],
        ['RetentionDeadLetters', props.timers.retentionDeadLetters],
        ['ExportBuilderDeadLetters', props.exports.builderDeadLetters],
        ...(this.emailIntake ? [['InboundMailDeadLetters', props.channels.mailDeadLetters] as const] : []),
        ['WebhookDeadLetters', this.webhooks.deadLetters],
        ['EventTargetDeadLetters', { queue: this.eventTargetDeadLetters, holds: 'EventBridge events a rule could not deliver to its Lambda target after every retry' }],
      ]),
      stateMachines: this.workflows.stateMachines,
      scheduleGroupName: props.timers.scheduleGroupName,
    });

    if (props.behindEdge) new CfnOutput(this, 'ApiOriginUrl', { value: this.api.httpApi.apiEndpoint, description: 'The HTTP API behind the edge (clients use the edge stack\'s ApiUrl)' });
    else new CfnOutput(this, 'ApiUrl', { value: this.api.httpApi.apiEndpoint });
    new CfnOutput(this, 'ApprovalStateMachineArn', { value: this.workflows.approval.stateMachine.stateMachineArn });
    new CfnOutput(this, 'EscalationStateMachineArn', { value: this.workflows.escalation.stateMachine.stateMachineArn });
  }
}
