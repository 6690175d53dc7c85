// ExportBuilder: builds compliance bundles (controls 4 and 7). The case-stream function invokes it asynchronously
// once an export request has committed (no third consumer on the table's stream: DynamoDB Streams serves two per
// shard without throttling); it streams the case's verified evidence from the evidence bucket into a ZIP in the
// exports bucket and signs the manifest with the KMS key. Invocations that still fail after Lambda's retries go to the
// builder's dead-letter queue.
import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ApiFunction, type FunctionSettings } from './api-function';
import type { DataTable } from './case-table';
import type { EvidenceStore } from './evidence-vault';
import type { ExportStore } from './export-vault';

export const EXPORT_BUILDER_ENTRY = 'functions/export-builder/handler.ts';
/** Lambda's longest timeout: a bundle of several hundred MB streams well inside it. */
export const EXPORT_BUILDER_TIMEOUT = Duration.minutes(15);

export interface ExportBuilderProps extends FunctionSettings {
  cases: DataTable;
  evidence: EvidenceStore;
  exports: ExportStore;
}

export class ExportBuilder extends Construct {
  readonly builder: ApiFunction;
  readonly functions: ReadonlyMap<string, ApiFunction>;

  constructor(scope: Construct, id: string, props: ExportBuilderProps) {
    super(scope, id);
    this.builder = new ApiFunction(this, 'BuilderFunction', {
      environment: props.environment,
      serviceName: props.serviceName,
      metricsNamespace: props.metricsNamespace,
      logRetention: props.logRetention,
      entry: EXPORT_BUILDER_ENTRY,
      description: 'Cases-table stream: builds requested compliance bundles (ZIP streamed from the evidence bucket into the locked exports bucket, signed manifest)',
      timeout: EXPORT_BUILDER_TIMEOUT,
      // Memory: 1,769 MB from ./function-sizing.ts (streams: more memory buys CPU for hashing and deflating).
      // pdfkit loads its standard font metrics through createRequire at run time: installed, not bundled.
      nodeModules: ['pdfkit'],
    })
      .bindTable(props.cases, 'readWrite')
      .allowEvidence(props.evidence, 'download')
      .allowExports(props.exports, 'build', 'legalHold')
      // Every export writes an audit digest anchoring the head it bundles.
      .anchorAuditDigests(props.exports)
      // One job per invocation; a build that fails is recorded on the job, so a retry only follows an infrastructure error.
      .sendFailedInvocationsTo(props.exports.builderDeadLetters, { retryAttempts: 2, maxEventAge: Duration.hours(1) });
    this.functions = new Map([[EXPORT_BUILDER_ENTRY, this.builder]]);
  }
}
