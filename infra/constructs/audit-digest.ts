// AuditDigest (API stack): a recurring EventBridge Scheduler schedule (every AUDIT_DIGEST_MINUTES, default 15) invokes
// the digest function, which writes one signed Merkle digest over every case changed since the previous digest to the
// exports bucket's audit/ prefix (Object Lock, compliance mode): the audit trail's anchor outside the table.
import { Duration } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnSchedule } from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { ApiFunction, type FunctionSettings } from './api-function';
import type { DataTable } from './case-table';
import type { DeadLetterQueue } from './dead-letter-queue';
import type { ExportStore } from './export-vault';
import { sendMessageTo } from './grants';

export const AUDIT_DIGEST_ENTRY = 'functions/audit-digest/handler.ts';

export interface AuditDigestProps extends FunctionSettings {
  cases: DataTable;
  exports: ExportStore;
  /** Where Scheduler puts an invocation it could not deliver after its retries (the next period's run covers the changes anyway). */
  deadLetters: DeadLetterQueue;
}

export class AuditDigest extends Construct {
  readonly job: ApiFunction;
  readonly schedule: CfnSchedule;
  /** The role Scheduler assumes: InvokeFunction on the digest function only. */
  readonly schedulerRole: Role;
  readonly functions: ReadonlyMap<string, ApiFunction>;

  constructor(scope: Construct, id: string, props: AuditDigestProps) {
    super(scope, id);
    const minutes = Number(props.environment.AUDIT_DIGEST_MINUTES ?? '15');
    this.job = new ApiFunction(this, 'DigestFunction', {
      entry: AUDIT_DIGEST_ENTRY,
      description: `Every ${minutes} min: signs a Merkle digest of every case's audit head changed since the previous digest into the locked exports bucket (audit/)`,
      environment: props.environment,
      serviceName: props.serviceName,
      metricsNamespace: props.metricsNamespace,
      logRetention: props.logRetention,
      timeout: Duration.minutes(5),
    })
      .bindTable(props.cases, 'digest')
      .anchorAuditDigests(props.exports);

    this.schedulerRole = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com'),
      description: 'EventBridge Scheduler: invokes the audit digest function',
    });
    this.schedulerRole.addToPrincipalPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.job.function.functionArn] }));
    for (const statement of sendMessageTo(this, props.deadLetters.queue, props.deadLetters.encryptionKey)) this.schedulerRole.addToPrincipalPolicy(statement);

    // In the default schedule group, not the case-timer group: the functions that manage case timers may not touch it.
    this.schedule = new CfnSchedule(this, 'Schedule', {
      description: `Audit digest every ${minutes} minutes`,
      scheduleExpression: `rate(${minutes} ${minutes === 1 ? 'minute' : 'minutes'})`,
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: this.job.function.functionArn,
        roleArn: this.schedulerRole.roleArn,
        retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: minutes * 60 },
        deadLetterConfig: { arn: props.deadLetters.queue.queueArn },
      },
    });
    this.functions = new Map([[AUDIT_DIGEST_ENTRY, this.job]]);
  }
}
