// EvidenceVerifier (API stack): S3 Object Created events for evidence keys, from the default EventBridge bus, invoke
// the verifier function, which compares the stored object (size, SHA-256 checksum) with its registration.
import { Duration } from 'aws-cdk-lib';
import { Match, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import { ApiFunction, type FunctionSettings } from './api-function';
import type { DataTable } from './case-table';
import { EVIDENCE_KEY_PATTERN, type EvidenceStore } from './evidence-vault';

export const EVIDENCE_VERIFIER_ENTRY = 'functions/evidence-verifier/handler.ts';

export interface EvidenceVerifierProps extends FunctionSettings {
  cases: DataTable;
  evidence: EvidenceStore;
}

export class EvidenceVerifier extends Construct {
  readonly verifier: ApiFunction;
  /** The rule on the default bus: Object Created in the evidence bucket, evidence keys only. */
  readonly rule: Rule;
  /** The verifier by entry, like `Api.functions`. */
  readonly functions: ReadonlyMap<string, ApiFunction>;

  constructor(scope: Construct, id: string, props: EvidenceVerifierProps) {
    super(scope, id);
    const { evidence } = props;

    this.verifier = new ApiFunction(this, 'VerifierFunction', {
      entry: EVIDENCE_VERIFIER_ENTRY,
      description: 'Verifies an uploaded evidence object (size, SHA-256) against its registration; S3 Object Created via EventBridge',
      environment: props.environment,
      serviceName: props.serviceName,
      metricsNamespace: props.metricsNamespace,
      logRetention: props.logRetention,
      // Normally one HeadObject; without a stored checksum it hashes the object by streaming it (up to the upload limit).
      timeout: Duration.minutes(5),
    })
      .bindTable(props.cases, 'readWrite')
      // Evidence verified while its case is on legal hold is held at once.
      .allowEvidence(evidence, 'verify', 'legalHold')
      // An event the verifier keeps failing on (after Lambda's own retries) is kept for a redrive, not dropped.
      .sendFailedInvocationsTo(evidence.verificationDeadLetters);

    this.rule = new Rule(this, 'EvidenceObjectCreated', {
      description: `Evidence uploaded: S3 Object Created in ${evidence.bucketName} under ${EVIDENCE_KEY_PATTERN} invokes the evidence verifier`,
      // No eventBus: S3 sends its events to the account's default bus.
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        // Case exports share the `cases/<caseId>/` prefix and are not evidence uploads: only evidence keys match.
        detail: { bucket: { name: [evidence.bucketName] }, object: { key: Match.wildcard(EVIDENCE_KEY_PATTERN) } },
      },
      // EventBridge keeps retrying a failed delivery (throttling, an unavailable function) for a day.
      targets: [new LambdaFunction(this.verifier.function, { retryAttempts: 185, maxEventAge: Duration.hours(24) })],
    });

    this.functions = new Map([[EVIDENCE_VERIFIER_ENTRY, this.verifier]]);
  }
}
