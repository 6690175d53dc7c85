// CheckpointScheduler: per-case deadline timers on EventBridge Scheduler.
// CaseTimers (stateful stack) is where the schedules live: the dedicated schedule group and the dead-letter queues.
// CheckpointScheduler (API stack) is what runs: the case-stream function that turns case changes into one-time
// schedules (and starts the approval and escalation workflows), the checkpoint function the schedules invoke, and the
// execution role Scheduler assumes to invoke it.
import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { FilterCriteria, FilterRule } from 'aws-cdk-lib/aws-lambda';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { keys } from '#adapters/aws/dynamo/table-model';
import { ApiFunction, type WorkflowMachine, type FunctionSettings } from './api-function';
import type { FeedbackSigningKey } from './feedback-links';
import type { CaseEvents } from './case-events';
import type { DataTable } from './case-table';
import { DeadLetterQueue } from './dead-letter-queue';
import { sendMessageTo } from './grants';

export const CHECKPOINT_ENTRY = 'functions/checkpoint/handler.ts';
export const CASE_STREAM_ENTRY = 'functions/case-stream/handler.ts';

/** Names derived from the prefix must fit AWS limits (IAM role names: 64 characters, region included). */
const MAX_PREFIX = 32;
const checkPrefix = (prefix: string) => {
  if (!/^[a-z][a-z0-9-]*$/.test(prefix) || prefix.length > MAX_PREFIX) throw new Error(`name prefix "${prefix}" must be lower-case letters, digits and hyphens, at most ${MAX_PREFIX} characters`);
};

/** `FilterRule.isEqual` is typed `any`; it returns the one-value list of an equality pattern. */
const isEqual = (value: string): string[] => FilterRule.isEqual(value) as string[];

/**
 * The stream records the case-stream handler acts on: every change of a case item (timers follow the case's
 * state) and every new audit event (domain events and notifications). Tasks, notes and evidence are not read.
 */
export const CASE_STREAM_FILTERS = [
  FilterCriteria.filter({ dynamodb: { Keys: { SK: { S: isEqual(keys.case('x').SK) } } } }),
  FilterCriteria.filter({ eventName: isEqual('INSERT'), dynamodb: { Keys: { SK: { S: FilterRule.beginsWith(keys.auditPrefix) } } } }),
];

export interface CaseTimersProps {
  /** Lower-case deployment prefix: the group is `<prefix>-case-timers`. */
  namePrefix: string;
  encryptionKey: IKey;
}

/** Stateful: schedules live in the group and reference the dead-letter queue, so both outlive the API stack. */
export class CaseTimers extends Construct {
  readonly scheduleGroup: ScheduleGroup;
  /** Deterministic, so the API stack names it without a cross-stack reference and IAM can scope to it. */
  readonly scheduleGroupName: string;
  /** Timers whose checkpoint could not be delivered or failed after every retry. */
  readonly scheduleDeadLetters: DeadLetterQueue;
  /** Case-table stream batches the case-stream function failed after every retry. */
  readonly streamDeadLetters: DeadLetterQueue;
  /** Case-table stream batches the reporting projection failed after every retry (a rebuild recovers them). */
  readonly projectionDeadLetters: DeadLetterQueue;
  /** Daily retention runs that failed after Lambda's retries. */
  readonly retentionDeadLetters: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: CaseTimersProps) {
    super(scope, id);
    checkPrefix(props.namePrefix);
    this.scheduleGroupName = `${props.namePrefix}-case-timers`;
    // Deleting a group deletes its schedules: every pending deadline timer of every open case. Kept on delete and
    // update, but removed when the stack's first create rolls back (it holds nothing yet), so a retry can recreate
    // the same name (docs/deploy.md, "first deploy and retry").
    this.scheduleGroup = new ScheduleGroup(this, 'Group', { scheduleGroupName: this.scheduleGroupName, removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE });
    this.scheduleDeadLetters = new DeadLetterQueue(this, 'ScheduleDeadLetters', {
      holds: 'case timers whose checkpoint invocation failed after every Scheduler and Lambda retry',
      encryptionKey: props.encryptionKey,
    });
    this.streamDeadLetters = new DeadLetterQueue(this, 'StreamDeadLetters', {
      holds: 'cases-table stream batches the case-stream function failed after every retry',
      encryptionKey: props.encryptionKey,
    });
    this.projectionDeadLetters = new DeadLetterQueue(this, 'ProjectionDeadLetters', {
      holds: 'cases-table stream batches the reporting projection failed after every retry',
      encryptionKey: props.encryptionKey,
    });
    this.retentionDeadLetters = new DeadLetterQueue(this, 'RetentionDeadLetters', {
      holds: 'daily retention runs that failed after every Lambda retry',
      encryptionKey: props.encryptionKey,
    });
  }
}

export interface CheckpointSchedulerProps extends FunctionSettings {
  /** Lower-case deployment prefix, for the names schedules store (the checkpoint function, the execution role). */
  namePrefix: string;
  cases: DataTable;
  timers: Pick<CaseTimers, 'scheduleGroupName' | 'scheduleDeadLetters' | 'streamDeadLetters'>;
  events: Pick<CaseEvents, 'bus' | 'notifications' | 'encryptionKey'>;
  /** The workflow state machines the case-stream function starts (a proposal needing approval, an escalation). */
  workflows: Record<WorkflowMachine['workflow'], WorkflowMachine>;
  /** The key that signs the satisfaction-feedback links the checkpoint function sends when a follow-up fires. */
  feedbackLinks: FeedbackSigningKey;
  /** The customer-facing feedback link (`{token}` placeholder): FEEDBACK_LINK_TEMPLATE of the checkpoint function. */
  feedbackLinkTemplate: string;
}

export class CheckpointScheduler extends Construct {
  /** The target of every one-time schedule: fires the timer (cases table only). */
  readonly checkpoint: ApiFunction;
  /** Consumes the cases-table stream: creates, moves and deletes schedules; publishes events and notifications. */
  readonly caseStream: ApiFunction;
  /** The role EventBridge Scheduler assumes to invoke the checkpoint function and to dead-letter. */
  readonly schedulerRole: Role;
  /** Both functions by entry, like `Api.functions`. */
  readonly functions: ReadonlyMap<string, ApiFunction>;

  constructor(scope: Construct, id: string, props: CheckpointSchedulerProps) {
    super(scope, id);
    checkPrefix(props.namePrefix);
    const stack = Stack.of(this);
    const { timers, events, cases } = props;
    const common = { environment: props.environment, serviceName: props.serviceName, metricsNamespace: props.metricsNamespace, logRetention: props.logRetention };

    // Schedules store this function's ARN and the role's ARN: fixed names keep both valid if the API stack is recreated.
    this.checkpoint = new ApiFunction(this, 'CheckpointFunction', {
      ...common,
      entry: CHECKPOINT_ENTRY,
      functionName: `${props.namePrefix}-checkpoint`,
      description: 'Fires a case timer (deadline checkpoint, acknowledgement due, blocked dependency, satisfaction follow-up); invoked by EventBridge Scheduler',
      timeout: Duration.seconds(30),
      environment: { ...props.environment, FEEDBACK_LINK_TEMPLATE: props.feedbackLinkTemplate },
    })
      .bindTable(cases, 'readWrite')
      // A fired follow-up sends the customer's signed feedback link through the notification topic.
      .signFeedbackLinks(props.feedbackLinks)
      .allowNotify(events.notifications, events.encryptionKey)
      // Whichever way Scheduler invokes it, a checkpoint that keeps failing ends in the timers' dead-letter queue.
      .sendFailedInvocationsTo(timers.scheduleDeadLetters);

    const groupArn = stack.formatArn({ service: 'scheduler', resource: 'schedule-group', resourceName: timers.scheduleGroupName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
    this.schedulerRole = new Role(this, 'SchedulerRole', {
      roleName: `${props.namePrefix}-scheduler-${stack.region}`,
      description: `EventBridge Scheduler: schedules in ${timers.scheduleGroupName} invoke the checkpoint function`,
      // Confused-deputy guard: Scheduler sets aws:SourceArn to the schedule's group.
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account, 'aws:SourceArn': groupArn } },
      }),
    });
    // Schedules target the unqualified function ARN: no `:*` qualifier grant.
    this.schedulerRole.addToPrincipalPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.checkpoint.function.functionArn] }));
    for (const statement of sendMessageTo(this, timers.scheduleDeadLetters.queue, timers.scheduleDeadLetters.encryptionKey)) this.schedulerRole.addToPrincipalPolicy(statement);

    this.caseStream = new ApiFunction(this, 'CaseStreamFunction', {
      ...common,
      entry: CASE_STREAM_ENTRY,
      description: 'Cases-table stream: keeps each case’s one-time schedules in step, starts approval and escalation workflows, publishes domain events and notifications',
      // A batch of 100 records may create, move or delete several schedules per record, and fires due timers in-process.
      timeout: Duration.seconds(60),
      environment: { ...props.environment, FEEDBACK_LINK_TEMPLATE: props.feedbackLinkTemplate },
    })
      .bindTable(cases, 'readWrite')
      // A follow-up already due when planned fires here, and sends its link as the checkpoint function would.
      .signFeedbackLinks(props.feedbackLinks)
      .allowScheduling({
        groupName: timers.scheduleGroupName,
        executionRole: this.schedulerRole,
        target: this.checkpoint.function,
        deadLetterQueue: timers.scheduleDeadLetters.queue,
      })
      .allowPublishEvents(events.bus)
      .allowNotify(events.notifications, events.encryptionKey)
      // Approval and escalation executions start from the change that requires them, named per proposal or escalation,
      // so a redelivered stream record starts nothing twice.
      .startWorkflows(props.workflows.approval, props.workflows.escalation)
      // And ends waits that the committed change made moot: the superseded stages of a re-planned proposal (issue 25)
      // and the escalations resolved with the case (SendTaskFailure with the recorded outcome).
      .settleWorkflowTasks(props.workflows.approval)
      .settleWorkflowTasks(props.workflows.escalation)
      // In order per shard, batch failures reported, bisected on error (IN_ORDER_STREAM).
      .consumeStream(cases, timers.streamDeadLetters, { filters: CASE_STREAM_FILTERS });

    this.functions = new Map([
      [CHECKPOINT_ENTRY, this.checkpoint],
      [CASE_STREAM_ENTRY, this.caseStream],
    ]);
  }
}
