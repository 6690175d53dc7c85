// EmailIntake (API stack): S3 Object Created events for raw messages SES stored in the inbound mail bucket, from the
// default EventBridge bus, invoke the inbound-email function: it parses the message and opens or adds to a complaint.
import { Duration } from 'aws-cdk-lib';
import { Match, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import { ApiFunction, triageSettingsOf, type FunctionSettings } from './api-function';
import type { DataTable } from './case-table';
import type { EvidenceStore } from './evidence-vault';
import { INBOUND_MAIL_PREFIX, type InboundChannelStore } from './inbound-channels';

export const INBOUND_EMAIL_ENTRY = 'functions/inbound-email/handler.ts';

export interface EmailIntakeProps extends FunctionSettings {
  cases: DataTable;
  evidence: EvidenceStore;
  channels: InboundChannelStore;
}

export class EmailIntake extends Construct {
  readonly intake: ApiFunction;
  readonly rule: Rule;
  readonly functions: ReadonlyMap<string, ApiFunction>;

  constructor(scope: Construct, id: string, props: EmailIntakeProps) {
    super(scope, id);
    const { channels } = props;
    this.intake = new ApiFunction(this, 'IntakeFunction', {
      entry: INBOUND_EMAIL_ENTRY,
      description: 'Inbound email: parses a raw message SES stored (size limit, MIME checks) and opens or adds to a complaint; S3 Object Created via EventBridge',
      environment: props.environment,
      serviceName: props.serviceName,
      metricsNamespace: props.metricsNamespace,
      logRetention: props.logRetention,
      // A message of up to INBOUND_EMAIL_MAX_BYTES is parsed in memory (the default memory of ./function-sizing.ts) and its
      // attachments written to the vault.
      timeout: Duration.minutes(2),
    })
      .bindTable(props.cases, 'readWrite')
      .allowEvidence(props.evidence, 'store')
      .readInboundMail(channels)
      .sendFailedInvocationsTo(channels.mailDeadLetters);
    // Email opens complaints through the same path as the API: with Bedrock in the triage chain it may invoke the model.
    const triage = triageSettingsOf(props.environment);
    if (triage.models.includes('bedrock')) this.intake.invokeTriageModel(triage.bedrockModelId);

    this.rule = new Rule(this, 'InboundMailObjectCreated', {
      description: `Inbound email: S3 Object Created in the raw-mail bucket under ${INBOUND_MAIL_PREFIX} invokes the email intake`,
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: { bucket: { name: [channels.mailBucketName] }, object: { key: Match.prefix(INBOUND_MAIL_PREFIX) } },
      },
      // EventBridge keeps retrying a failed delivery for a day; what the function itself fails on goes to the dead letters.
      targets: [new LambdaFunction(this.intake.function, { retryAttempts: 185, maxEventAge: Duration.hours(24) })],
    });
    this.functions = new Map([[INBOUND_EMAIL_ENTRY, this.intake]]);
  }
}
