// WebhookDelivery (API stack): published domain events reach subscriber webhooks through a rule on the case-events bus,
// an SQS queue (with its own dead-letter queue) and the webhook-delivery function; a one-minute rule runs its retry sweep.
// The rule and both queues are WebhookQueues (stateful stack, like every other dead-letter queue): undelivered events
// survive a redeploy or replacement of the API stack.
//
// Why a delivery function and not EventBridge API destinations: every attempt must be visible per subscription (status,
// latency, attempt number, next attempt, error class), signed with a per-subscription secret over timestamp.body, with
// the retry schedule and the dead-letter record ours (configurable attempts, exponential backoff with jitter) and an
// SSRF guard after DNS resolution. API destinations sign with a connection's static auth header, retry on their own
// schedule for at most 24 h, report nothing per attempt and would need one connection + destination + rule per
// subscription created at run time (IAM for events:Create* on "*"). The same delivery code also runs under npm start.
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Rule, Schedule, type IEventBus } from 'aws-cdk-lib/aws-events';
import { LambdaFunction, SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EVENT_SOURCE } from '#domain/domain-events';
import { PUBLISHED_EVENT_TYPES } from '#schemas/events';
import { ApiFunction, DELETABLE, type FunctionSettings } from './api-function';
import type { DataTable } from './case-table';

export const WEBHOOK_DELIVERY_ENTRY = 'functions/webhook-delivery/handler.ts';

/** The encryption context every webhook secret is encrypted under (shared/domain/webhook-service.ts). */
export const WEBHOOK_SECRET_CONTEXT = { 'kms:EncryptionContext:purpose': 'webhook-signing-secret' };

/** Attempts of one bus event on the queue before it is dead-lettered (a store outage; receiver failures are retried by the sweep). */
export const QUEUE_MAX_RECEIVES = 5;

/** Most concurrent webhook delivery invocations the SQS trigger starts (Lambda's minimum for the setting is 2). */
export const WEBHOOK_MAX_CONCURRENCY = 10;

/** The delivery function's timeout: a batch of 10 events, a few subscriptions each, 5 s per attempt at most. */
export const DELIVERY_TIMEOUT = Duration.seconds(60);

export interface WebhookQueuesProps {
  bus: IEventBus;
}

/**
 * The delivery queue, its dead-letter queue and the bus rule that fills it (stateful stack). The rule lives with the
 * queues: an SQS target adds the rule's ARN to the queue policies (aws:SourceArn), so a rule in the API stack would make
 * the stateful stack depend on the API stack, which already depends on it.
 */
export class WebhookQueues extends Construct {
  readonly queue: Queue;
  /** Bus events the delivery function failed on QUEUE_MAX_RECEIVES times (not receiver failures: those are delivery records); alarmed by Observability. */
  readonly deadLetters: { queue: Queue; holds: string };
  readonly busRule: Rule;

  constructor(scope: Construct, id: string, props: WebhookQueuesProps) {
    super(scope, id);

    // SQS-managed encryption, not the project key: EventBridge may only send to a queue under a customer key whose key
    // policy names events.amazonaws.com, and the project key grants no service principal. The messages are the
    // published events: identifiers and facts only (no free text, no personal data beyond the case reference), by schema.
    const holds = 'published events the webhook delivery function failed on repeatedly';
    const dlq = new Queue(this, 'DeadLetters', { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14), removalPolicy: RemovalPolicy.RETAIN });
    Validations.of(dlq).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `This queue is itself a dead-letter queue (${holds}); a dead-letter queue of a dead-letter queue would only move the same messages again.`,
    });
    this.deadLetters = { queue: dlq, holds };

    this.queue = new Queue(this, 'Events', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Six times the function timeout (the Lambda guidance for SQS event sources).
      visibilityTimeout: Duration.seconds(6 * DELIVERY_TIMEOUT.toSeconds()),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: dlq, maxReceiveCount: QUEUE_MAX_RECEIVES },
      // Events not yet fanned out outlive a mistaken stack deletion, like the dead letters.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Only the published types (docs/events/); internal ones (reminders, blocked dependencies) never reach subscribers.
    this.busRule = new Rule(this, 'PublishedEvents', {
      eventBus: props.bus,
      description: 'Published domain events → the webhook delivery queue',
      eventPattern: { source: [EVENT_SOURCE], detailType: [...PUBLISHED_EVENT_TYPES] },
      targets: [new SqsQueue(this.queue, { retryAttempts: 185, maxEventAge: Duration.hours(24), deadLetterQueue: dlq })],
    });
  }
}

/** What the API stack receives of WebhookQueues. */
export type WebhookQueueStore = Pick<WebhookQueues, 'queue' | 'deadLetters'>;

export interface WebhookDeliveryProps extends FunctionSettings {
  cases: DataTable;
  /** The delivery queue and its dead-letter queue (stateful stack). */
  queues: WebhookQueueStore;
  /** The project key: webhook signing secrets are encrypted with it (KMS Encrypt/Decrypt, bound to the encryption context). */
  secretKey: IKey;
}

export class WebhookDelivery extends Construct {
  readonly delivery: ApiFunction;
  /** The queue the delivery function consumes (WebhookQueues, stateful stack). */
  readonly queue: Queue;
  /** The delivery queue's dead-letter queue (WebhookQueues, stateful stack); alarmed by Observability. */
  readonly deadLetters: { queue: Queue; holds: string };
  readonly retryRule: Rule;
  readonly functions: ReadonlyMap<string, ApiFunction>;

  constructor(scope: Construct, id: string, props: WebhookDeliveryProps) {
    super(scope, id);
    this.queue = props.queues.queue;
    this.deadLetters = props.queues.deadLetters;

    this.delivery = new ApiFunction(this, 'DeliveryFunction', {
      entry: WEBHOOK_DELIVERY_ENTRY,
      description: 'Subscriber webhooks: fans published events out to matching subscriptions, signs and sends each attempt, retries due deliveries with backoff',
      environment: props.environment,
      serviceName: props.serviceName,
      metricsNamespace: props.metricsNamespace,
      logRetention: props.logRetention,
      timeout: DELIVERY_TIMEOUT,
    }).bindTable(props.cases, 'readWrite', { deletes: DELETABLE.webhookRetryIndex });
    this.decryptSecretsFor(this.delivery, props.secretKey);

    // At most WEBHOOK_MAX_CONCURRENCY deliveries at once: a burst of events (a bulk import) cannot take the account's
    // concurrency from the API; the queue absorbs the rest.
    this.delivery.function.addEventSource(new SqsEventSource(this.queue, { batchSize: 10, reportBatchItemFailures: true, maxBatchingWindow: Duration.seconds(0), maxConcurrency: WEBHOOK_MAX_CONCURRENCY }));

    // Retries are due at minute precision (the first backoff step is 30 s before jitter): a sweep a minute.
    this.retryRule = new Rule(this, 'RetrySweep', {
      description: 'Every minute: the webhook delivery function attempts the deliveries due (backoff with jitter; dead letter after the last)',
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [new LambdaFunction(this.delivery.function, { retryAttempts: 2, maxEventAge: Duration.minutes(5) })],
    });

    this.functions = new Map([[WEBHOOK_DELIVERY_ENTRY, this.delivery]]);
  }

  /** The subscribe route encrypts each new secret: kms:Encrypt on the project key, only under the webhook encryption context. */
  allowSubscribe(fn: ApiFunction, key: IKey): this {
    fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['kms:Encrypt'], resources: [key.keyArn], conditions: { StringEquals: WEBHOOK_SECRET_CONTEXT } }));
    fn.function.addEnvironment('WEBHOOK_SECRET_KEY_ARN', key.keyArn);
    return this;
  }

  private decryptSecretsFor(fn: ApiFunction, key: IKey): void {
    fn.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['kms:Decrypt'], resources: [key.keyArn], conditions: { StringEquals: WEBHOOK_SECRET_CONTEXT } }));
    fn.function.addEnvironment('WEBHOOK_SECRET_KEY_ARN', key.keyArn);
  }
}
