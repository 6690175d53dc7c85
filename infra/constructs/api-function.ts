// ApiFunction: the one Lambda function construct; fixed defaults, and intent methods that grant and configure together.
import * as path from 'node:path';
import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, Role, ServicePrincipal, type IRole } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import {
  ApplicationLogLevel,
  Architecture,
  EventSourceMapping,
  LoggingFormat,
  Runtime,
  StartingPosition,
  SystemLogLevel,
  Tracing,
  type EventSourceMappingOptions,
  type CfnFunction,
  type IFunction,
} from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, type IQueue } from 'aws-cdk-lib/aws-sqs';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import { Construct } from 'constructs';
import type { SettingName } from '#http/config';
import type { DataTable } from './case-table';
import { FUNCTION_ARCHITECTURE, functionMemoryMb } from './function-sizing';
import type { DeadLetterQueue } from './dead-letter-queue';
import { API_FUNCTION_TIMEOUT_SECONDS, sdkRetryEnvironment } from '#adapters/aws/retry-policy';
import type { EvidenceStore } from './evidence-vault';
import type { ExportStore } from './export-vault';
import type { CursorSealingKey } from './cursor-key';
import type { FeedbackSigningKey } from './feedback-links';
import { KEY_PRODUCE, KEY_READ, keyThrough } from './grants';
import { INBOUND_MAIL_PREFIX, type InboundChannelStore } from './inbound-channels';
import { AUDIT_PREFIX } from '#adapters/aws/s3-audit-anchors';
import { checkEnvironmentSize, SETTINGS_SECRET_ENV, settingsSecret, splitSettings } from './settings-store';
import { aliasArgs, lambdaDefines } from './lambda-bundling';
import { TriageSettings } from '#schemas/triage';

/** The repository root: bundling resolves package.json `imports` (`#http/*`, …) and the lock file from here. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** The deployment's triage settings (TRIAGE in the functions' settings), as the functions read them. */
export const triageSettingsOf = (environment: ServiceEnv): TriageSettings => TriageSettings.parse(environment.TRIAGE ? JSON.parse(environment.TRIAGE) : {});

/** Whether the triage chain calls Bedrock: only then is its client bundled (and InvokeModel granted). */
export const triageCallsBedrock = (environment: ServiceEnv): boolean => triageSettingsOf(environment).models.includes('bedrock');

/** Current Lambda Node.js runtime (cdk-nag L1 wants the newest the CDK knows). The code also runs on Node 20 locally. */
export const FUNCTION_RUNTIME = Runtime.NODEJS_24_X;

/** The variables the handlers read (`shared/http/config.ts`), typed so a misspelt name fails the build. */
export type ServiceEnv = Partial<Record<SettingName, string>>;

/** `digest`: the audit digest job (reads the changed-cases index and case heads, writes only the digest head item). */
export type TableAccess = 'read' | 'readWrite' | 'digest';

// Named actions instead of grantReadData/grantReadWriteData: those include Scan (no request path scans)
// and KMS wildcards (`kms:GenerateDataKey*`, `kms:ReEncrypt*`).
const TABLE_READ = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
// Transactions are authorised per item action: TransactWriteItems needs Put/Update/Delete/ConditionCheckItem.
const TABLE_WRITE = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem'];
/**
 * Issue 25, finding 8. On the cases table the audit events live in their case's partition (`CASE#<id>`, SK `AUDIT#…`), and
 * the IAM condition keys DynamoDB supports (dynamodb:LeadingKeys = the partition key only; dynamodb:Attributes,
 * dynamodb:Select, dynamodb:ReturnValues, dynamodb:ReturnConsumedCapacity) cannot see a sort key or a
 * ConditionExpression. So IAM cannot tell an audit append (PutItem with attribute_not_exists) from an overwrite; what it
 * can do, it does: no function may UpdateItem in a case partition, DeleteItem is granted to two functions only, each on
 * the one non-case partition it prunes, and PutItem in a case partition is what every writer has. The single code path
 * that writes audit items (the repository's auditPuts: attribute_not_exists; the retention job's redaction: same seq and
 * hash) and the signed digests in S3 Object Lock (#domain/audit-digest) cover the rest: an overwrite is detected.
 */
const CASE_TABLE_WRITES = ['dynamodb:PutItem', 'dynamodb:ConditionCheckItem'];
/**
 * The only partitions any function may UpdateItem on the cases table: the reference counters, feedback-link attempts,
 * webhook subscriptions and deliveries, and the reporting projection. No `CASE#` partition.
 */
export const UPDATABLE_PARTITIONS = ['COUNTER#*', 'FEEDBACK#*', 'WEBHOOKS', 'WEBHOOK#*', 'RPT#*', 'RPTMETA'] as const;
/** The audit digest job writes the digest-chain head item and nothing else. */
export const DIGEST_PARTITIONS = ['AUDITDIGEST'] as const;
/** Partitions whose items a function prunes (DeleteItem): the webhook retry index, the reporting projection's rows. */
export const DELETABLE = { webhookRetryIndex: ['WEBHOOKDUE'], reportRows: ['RPT#*'] } as const;
/** Every partition key the request touches matches one of `patterns` (ForAllValues: all of them, not just one). */
const leadingKeys = (patterns: readonly string[]) => ({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...patterns] } });
const KEY_WRITE = ['kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'];

// Lambda reads a stream by ARN; every action is authorised on the stream itself.
const STREAM_READ = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'];
// What the case-stream handler calls on one-time schedules (shared/adapters/aws/scheduler.ts, plus GetSchedule to inspect one).
const SCHEDULE_ACTIONS = ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule', 'scheduler:GetSchedule'];

/** What a function needs to create one-time schedules that invoke `target` through `executionRole`. */
export interface ScheduleTarget {
  /** The dedicated schedule group; the function may manage schedules in this group only. */
  groupName: string;
  /** The role EventBridge Scheduler assumes; the only role the function may pass, and only to Scheduler. */
  executionRole: IRole;
  /** The function every schedule invokes. */
  target: IFunction;
  /** Where Scheduler dead-letters a delivery that exhausted its retries. */
  deadLetterQueue: IQueue;
}

/**
 * A Step Functions workflow (see CaseWorkflows): its state machine's ARN, computed from the machine's fixed name so a
 * function can name it without a CloudFormation reference (the workflow functions are invoked by the machine whose ARN
 * they are told), and the variable `shared/http/config.ts` reads it from.
 */
export interface WorkflowMachine {
  readonly workflow: 'approval' | 'escalation';
  readonly stateMachineName: string;
  readonly stateMachineArn: string;
  readonly envVar: 'APPROVAL_STATE_MACHINE_ARN' | 'ESCALATION_STATE_MACHINE_ARN';
}

/**
 * What settling a callback task takes: SendTaskSuccess and SendTaskFailure (never SendTaskHeartbeat: no function
 * heartbeats; a lapsed heartbeat is the workflow's reminder timer).
 *
 * Resource "*": the Service Authorization Reference for Step Functions (docs.aws.amazon.com/service-authorization/latest/
 * reference/list_awsstepfunctions.html) lists no resource type for states:SendTaskSuccess, states:SendTaskFailure or
 * states:SendTaskHeartbeat, so they support no resource-level permissions and a statement naming a state machine ARN
 * is not what IAM documents as authorising them (the IAM policy simulator says the same: "This action does not support
 * resource-level permissions", quoted in aws/aws-cdk#8486). They have no condition keys either. The control is the
 * task token itself: unguessable, bound to one task of one execution, and only ever read from the case record.
 */
export const TASK_TOKEN_ACTIONS = ['states:SendTaskSuccess', 'states:SendTaskFailure'] as const;

/** What a function does with the evidence objects (`cases/*`); see EVIDENCE_GRANTS. */
export type EvidenceUse = 'list' | 'upload' | 'download' | 'verify' | 'legalHold' | 'store' | 'letter';

/**
 * The project key's ARN, for the presigned PUT: the bucket policy refuses an upload that does not name it
 * (`x-amz-server-side-encryption-aws-kms-key-id`), since `aws:kms` alone would mean the AWS managed key.
 */
export const EVIDENCE_KEY_ENV = 'EVIDENCE_KMS_KEY_ARN' satisfies keyof ServiceEnv;

/**
 * Per use, the S3 actions on `cases/*` and the key actions through S3. Never a delete, an overwrite of a lock
 * (PutObjectRetention, BypassGovernanceRetention) or a bucket-level action; HeadObject is authorised by GetObject
 * (GetObjectVersion with a version id).
 */
export const EVIDENCE_GRANTS: Readonly<Record<EvidenceUse, { objects: readonly string[]; key: readonly string[] }>> = {
  // The evidence log is in the table; the function only builds the evidence service, which names the bucket.
  list: { objects: [], key: [] },
  // The presigned PUT is signed with the function's credentials: S3 authorises the client's upload as this role,
  // and S3 asks KMS for the data key on its behalf.
  upload: { objects: ['s3:PutObject'], key: ['kms:GenerateDataKey'] },
  // The presigned GET (a pinned version), likewise.
  download: { objects: ['s3:GetObject', 's3:GetObjectVersion'], key: ['kms:Decrypt'] },
  // HeadObject with ChecksumMode ENABLED (KMS Decrypt for the checksum of an SSE-KMS object), the attributes,
  // retention and legal hold of the version, and GetObject to hash the bytes by streaming when S3 has no checksum.
  verify: {
    objects: ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectAttributes', 's3:GetObjectVersionAttributes', 's3:GetObjectRetention', 's3:GetObjectLegalHold'],
    key: ['kms:Decrypt'],
  },
  // Legal hold on and off, per object version; before holding an uploaded but not yet verified object it checks the
  // object exists (HeadObject with its checksum: GetObject, KMS Decrypt).
  legalHold: { objects: ['s3:PutObjectLegalHold', 's3:GetObjectLegalHold', 's3:GetObject', 's3:GetObjectVersion'], key: ['kms:Decrypt'] },
  // Evidence the service received itself (an email or ticket attachment), written once with its SHA-256 and then
  // settled by the verifier; never a read, never a delete.
  store: { objects: ['s3:PutObject'], key: ['kms:GenerateDataKey'] },
  // The text of a letter sent, written by the function itself (PutObject with its SHA-256; under legal hold when the
  // case is held, which needs PutObjectLegalHold on the new object); never a read, never a delete.
  letter: { objects: ['s3:PutObject', 's3:PutObjectLegalHold'], key: ['kms:GenerateDataKey'] },
};

/** What a function does with the export bundles; see EXPORT_GRANTS. */
export type ExportUse = 'request' | 'download' | 'legalHold' | 'publicKey' | 'build';

/**
 * Per use, the S3 actions on the exports bucket's `cases/*`, the project key actions through S3, and the signing key
 * actions. Never a delete or a lock change beyond setting the retention and hold a new bundle is written with.
 */
export const EXPORT_GRANTS: Readonly<Record<ExportUse, { objects: readonly string[]; key: readonly string[]; signing: readonly string[] }>> = {
  // Records the job in the table; builds the export service, which names the buckets and the key.
  request: { objects: [], key: [], signing: [] },
  // The presigned GET of the bundle version.
  download: { objects: ['s3:GetObject', 's3:GetObjectVersion'], key: ['kms:Decrypt'], signing: [] },
  // A legal hold placed on the case reaches its bundles.
  legalHold: { objects: ['s3:PutObjectLegalHold', 's3:GetObjectLegalHold'], key: [], signing: [] },
  publicKey: { objects: [], key: [], signing: ['kms:GetPublicKey'] },
  // The multipart upload of a bundle with its retention and legal hold (setting them on a new object needs
  // PutObjectRetention / PutObjectLegalHold), aborting a failed one (S3 discards its parts), and the signature.
  build: {
    objects: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:PutObjectRetention', 's3:PutObjectLegalHold'],
    key: ['kms:GenerateDataKey', 'kms:Decrypt'],
    signing: ['kms:Sign', 'kms:GetPublicKey'],
  },
};

export type StreamOptions = Omit<EventSourceMappingOptions, 'eventSourceArn' | 'onFailure' | 'kafkaTopic' | 'kafkaBootstrapServers' | 'kafkaConsumerGroupId'>;

/**
 * How every consumer of the cases-table stream reads it: from the oldest record, 100 at a time, one batch per shard
 * at a time (a case's changes are applied in order); the handler reports failed records (Powertools
 * processPartialResponse) and a failing batch is split to isolate a poison record; 10 retries within a day.
 */
export const IN_ORDER_STREAM: StreamOptions = {
  startingPosition: StartingPosition.TRIM_HORIZON,
  batchSize: 100,
  parallelizationFactor: 1,
  reportBatchItemFailures: true,
  bisectBatchOnError: true,
  retryAttempts: 10,
  maxRecordAge: Duration.days(1),
};

/** What every function of the app is built with: the handlers' environment, Powertools names and log retention. */
export interface FunctionSettings {
  environment: ServiceEnv;
  serviceName: string;
  metricsNamespace: string;
  logRetention: RetentionDays;
}

export interface ApiFunctionProps {
  /** Handler file relative to the repository root; it exports `handler`. */
  entry: string;
  /**
   * A fixed function name, for a function whose ARN is stored outside CloudFormation (a schedule's target):
   * recreating the stack then yields the same ARN. Default: generated by CloudFormation.
   */
  functionName?: string;
  description: string;
  /** Service settings shared by every function (SERVICE_NAME, LIST_SHARDS, …). */
  environment: ServiceEnv;
  /** Powertools metrics namespace and service name. */
  serviceName: string;
  metricsNamespace: string;
  logRetention: RetentionDays;
  timeout?: Duration;
  /** Overrides the sizing table (./function-sizing.ts), which the cost bench also reads: prefer an entry there. */
  memorySize?: number;
  /**
   * Packages installed into the function's asset instead of bundled (a package that loads its own files at run
   * time, e.g. pdfkit's font metrics through createRequire).
   */
  nodeModules?: string[];
}

export class ApiFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;
  readonly role: Role;
  /** The event source mappings that invoke this function (streams). */
  readonly eventSourceMappings: EventSourceMapping[] = [];
  private settlesTasks = false;

  constructor(scope: Construct, id: string, props: ApiFunctionProps) {
    super(scope, id);

    // Logs outlive a stateless redeploy so an investigation can still read them; retention bounds their cost.
    this.logGroup = new LogGroup(this, 'LogGroup', { retention: props.logRetention, removalPolicy: RemovalPolicy.RETAIN });

    // An own role with no AWS managed policy: log writes are granted on this function's log group only.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Complaints API function ${props.entry}`,
    });
    this.logGroup.grantWrite(this.role);
    // Large JSON settings go to the app's settings secret, read once per container: the environment stays under 4 KB.
    const { inline, external } = splitSettings(props.environment);

    const timeout = props.timeout ?? Duration.seconds(API_FUNCTION_TIMEOUT_SECONDS);
    this.function = new NodejsFunction(this, 'Function', {
      entry: path.join(REPO_ROOT, props.entry),
      ...(props.functionName ? { functionName: props.functionName } : {}),
      handler: 'handler',
      description: props.description,
      runtime: FUNCTION_RUNTIME,
      architecture: FUNCTION_ARCHITECTURE === 'arm64' ? Architecture.ARM_64 : Architecture.X86_64,
      memorySize: props.memorySize ?? functionMemoryMb(props.entry),
      timeout,
      tracing: Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      systemLogLevelV2: SystemLogLevel.WARN,
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      bundling: {
        format: OutputFormat.CJS,
        target: 'node24',
        // Prefer the ESM entry points (better tree shaking); ESM-only packages such as @middy/core bundle into CJS.
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // Bundle the AWS SDK at the versions pinned in package-lock.json instead of using the one in the
        // runtime: what was tested is what runs, and a runtime SDK update cannot change behaviour under us.
        bundleAwsSDK: true,
        externalModules: [],
        // The SDK's credential chain reduced to the environment, and the settings-secret client only where there is
        // a settings secret (lambda-bundling.ts; bench/bundle.ts bundles with the same).
        esbuildArgs: aliasArgs(),
        define: lambdaDefines({ settingsSecret: Object.keys(external).length > 0, bedrock: triageCallsBedrock(props.environment) }),
        // Warnings and errors only: at esbuild's own level (info) every function's bundle printed its sizes and a
        // "Done" line, 140 lines per synth of the app (`npm run bench` reports the sizes).
        logLevel: LogLevel.WARNING,
        ...(props.nodeModules?.length ? { nodeModules: props.nodeModules } : {}),
      },
      environment: {
        ...inline,
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: props.metricsNamespace,
        // Same level as the Lambda application log level above, or Powertools warns about the mismatch.
        POWERTOOLS_LOG_LEVEL: 'INFO',
        // The SDK's retry mode and attempts, bounded by this function's timeout (#adapters/aws/retry-policy).
        ...sdkRetryEnvironment(timeout.toSeconds()),
      },
    });

    if (Object.keys(external).length) {
      const secret = settingsSecret(this, external);
      secret.grantRead(this.role);
      this.function.addEnvironment(SETTINGS_SECRET_ENV, secret.secretArn);
    }
    checkEnvironmentSize(this.function.node.defaultChild as CfnFunction, props.entry);

    Validations.of(this).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions, so AWS requires Resource "*".',
    });
  }

  /**
   * Grants the function exactly the data-plane access `access` needs on the table, its indexes and its key, and names
   * the table in its environment. On the cases table a writer gets PutItem and ConditionCheckItem (case items, audit
   * events and children are written whole, in transactions), UpdateItem only on the partitions of UPDATABLE_PARTITIONS
   * (none is a case partition: no function can update a case item, an audit event or a child in place) and DeleteItem
   * only where `deletes` names partitions (`dynamodb:LeadingKeys`); `digest` is the audit digest job's access. See
   * CASE_TABLE_WRITES for why this is as far as IAM can go.
   */
  bindTable(data: DataTable, access: TableAccess = 'read', opts: { deletes?: readonly string[] } = {}): this {
    const { table, encryptionKey, indexNames, envVar } = data;
    const tableAndIndexes = [table.tableArn, ...indexNames.map((name) => `${table.tableArn}/index/${name}`)];
    const writes = access !== 'read';
    if (envVar !== 'TABLE_NAME') {
      // The idempotency table (Powertools persistence) updates and deletes its own records: no narrowing applies.
      this.role.addToPrincipalPolicy(new PolicyStatement({ actions: writes ? [...TABLE_READ, ...TABLE_WRITE] : TABLE_READ, resources: tableAndIndexes }));
    } else if (access === 'digest') {
      this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:Query'], resources: tableAndIndexes }));
      this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['dynamodb:PutItem'], resources: [table.tableArn], conditions: leadingKeys(DIGEST_PARTITIONS) }));
    } else {
      this.role.addToPrincipalPolicy(new PolicyStatement({ actions: writes ? [...TABLE_READ, ...CASE_TABLE_WRITES] : TABLE_READ, resources: tableAndIndexes }));
      if (writes) this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['dynamodb:UpdateItem'], resources: [table.tableArn], conditions: leadingKeys(UPDATABLE_PARTITIONS) }));
      if (writes && opts.deletes?.length) this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['dynamodb:DeleteItem'], resources: [table.tableArn], conditions: leadingKeys(opts.deletes) }));
    }
    if (!writes && opts.deletes?.length) throw new Error(`${this.node.path}: deletes need write access`);
    // The key is usable only through DynamoDB, never for direct encrypt/decrypt calls.
    this.role.addToPrincipalPolicy(keyThrough(this, encryptionKey, 'dynamodb', writes ? [...KEY_READ, ...KEY_WRITE] : KEY_READ));
    this.setEnv(envVar, table.tableName);
    return this;
  }

  /**
   * Invokes the function with batches from the table's stream. The grants name the stream and read the key only
   * through DynamoDB; records that exhaust their retries are described in `deadLetter`.
   * (`DynamoEventSource` would grant `dynamodb:ListStreams` on `*` and the key without `kms:ViaService`.)
   */
  consumeStream(data: DataTable, deadLetter: DeadLetterQueue, options: Partial<StreamOptions> = {}): this {
    const streamArn = data.table.tableStreamArn;
    if (!streamArn) throw new Error(`${this.node.path}: the table has no stream`);
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: STREAM_READ, resources: [streamArn] }));
    this.role.addToPrincipalPolicy(keyThrough(this, data.encryptionKey, 'dynamodb', KEY_READ));
    this.eventSourceMappings.push(
      new EventSourceMapping(this, `StreamMapping${this.eventSourceMappings.length || ''}`, {
        ...IN_ORDER_STREAM,
        ...options,
        target: this.function,
        eventSourceArn: streamArn,
        onFailure: new SqsDlq(this.keylessQueue(deadLetter, 'StreamFailures')),
      }),
    );
    return this;
  }

  /**
   * Asynchronous invocations (an EventBridge Scheduler target) that still fail after Lambda's own retries go to
   * `deadLetter` instead of being dropped.
   */
  sendFailedInvocationsTo(deadLetter: DeadLetterQueue, options: { retryAttempts?: number; maxEventAge?: Duration } = {}): this {
    this.function.configureAsyncInvoke({
      retryAttempts: options.retryAttempts ?? 2,
      maxEventAge: options.maxEventAge ?? Duration.hours(6),
      onFailure: new SqsDestination(this.keylessQueue(deadLetter, 'InvocationFailures')),
    });
    return this;
  }

  /**
   * Grants the function what `uses` need on the case objects of the evidence bucket (`cases/*`, never the bucket
   * itself), the key only through S3, and names the bucket in its environment.
   */
  allowEvidence(store: EvidenceStore, ...uses: EvidenceUse[]): this {
    if (!uses.length) throw new Error(`${this.node.path}: allowEvidence needs at least one use`);
    const granted = [...new Set(uses)].filter((use) => EVIDENCE_GRANTS[use].objects.length);
    for (const use of granted) {
      const { objects, key } = EVIDENCE_GRANTS[use];
      this.role.addToPrincipalPolicy(new PolicyStatement({ actions: [...objects], resources: [store.caseObjectsArn] }));
      if (key.length) this.role.addToPrincipalPolicy(keyThrough(this, store.encryptionKey, 's3', key));
    }
    if (granted.length) {
      // Acknowledged on the role (its policy), for exactly this ARN: any other wildcard still fails synth.
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${flattenCfnReference(Stack.of(this).resolve(store.caseObjectsArn))}]`,
        reason: `Evidence objects are keyed by case and evidence ids created at run time; the wildcard covers only the case objects (cases/*) of the evidence bucket, for ${granted.join(', ')}, never a delete.`,
      });
    }
    this.setEnv('EVIDENCE_BUCKET', store.bucketName);
    if (uses.includes('store') || uses.includes('upload') || uses.includes('letter')) this.setEnv(EVIDENCE_KEY_ENV, store.encryptionKey.keyArn);
    return this;
  }

  /**
   * Grants the function what `uses` need on the exports bucket's case objects, the project key only through S3, the
   * signing key for what it signs or publishes, and names the bucket, the key (where used) and the retention in its
   * environment (the export service is built from them). Reading evidence is `allowEvidence(…, 'download')`.
   */
  allowExports(store: ExportStore, ...uses: ExportUse[]): this {
    if (!uses.length) throw new Error(`${this.node.path}: allowExports needs at least one use`);
    const wanted = [...new Set(uses)];
    const objects = [...new Set(wanted.flatMap((u) => EXPORT_GRANTS[u].objects))];
    const key = [...new Set(wanted.flatMap((u) => EXPORT_GRANTS[u].key))];
    const signing = [...new Set(wanted.flatMap((u) => EXPORT_GRANTS[u].signing))];
    if (objects.length) {
      this.role.addToPrincipalPolicy(new PolicyStatement({ actions: objects, resources: [store.caseObjectsArn] }));
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${flattenCfnReference(Stack.of(this).resolve(store.caseObjectsArn))}]`,
        reason: `Bundles are keyed by case and export ids created at run time; the wildcard covers only the case objects (cases/*) of the exports bucket, for ${wanted.join(', ')}, never a delete.`,
      });
    }
    if (key.length) this.role.addToPrincipalPolicy(keyThrough(this, store.encryptionKey, 's3', key));
    if (signing.length) this.role.addToPrincipalPolicy(new PolicyStatement({ actions: signing, resources: [store.signingKey.keyArn] }));
    this.setEnv('EXPORTS_BUCKET', store.bucketName);
    // The writer names the project key on the upload (the bucket policy refuses `aws:kms` without it).
    if (wanted.includes('build')) this.setEnv('EXPORTS_KMS_KEY_ARN', store.encryptionKey.keyArn);
    if (signing.length) this.setEnv('EXPORT_SIGNING_KEY_ARN', store.signingKey.keyArn);
    this.setEnv('EXPORT_RETENTION_DAYS', String(store.retentionDays));
    return this;
  }

  /**
   * Writes audit digests and case anchors (the digest job, and the export builder at every export): PutObject on the
   * exports bucket's `audit/*` only, with the compliance-mode retention each is written under (PutObjectRetention), reads
   * of them (a run catches up with a digest stored but not recorded), the key through S3, and the signing key. Never a
   * delete, an overwrite (If-None-Match) or a lock change beyond the new object's own retention.
   */
  anchorAuditDigests(store: ExportStore): this {
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:PutObject', 's3:PutObjectRetention', 's3:GetObject'], resources: [store.auditObjectsArn] }));
    this.role.addToPrincipalPolicy(keyThrough(this, store.encryptionKey, 's3', ['kms:GenerateDataKey', 'kms:Decrypt']));
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['kms:Sign', 'kms:GetPublicKey'], resources: [store.signingKey.keyArn] }));
    this.acknowledgeAuditObjects(store, 'writes digests and case anchors (write-once, compliance-mode retention)');
    this.setEnv('EXPORTS_BUCKET', store.bucketName);
    this.setEnv('EXPORTS_KMS_KEY_ARN', store.encryptionKey.keyArn);
    this.setEnv('EXPORT_SIGNING_KEY_ARN', store.signingKey.keyArn);
    this.setEnv('EXPORT_RETENTION_DAYS', String(store.retentionDays));
    return this;
  }

  /**
   * Reads a case's newest anchor and its digest (the timeline): GetObject on `audit/*`, ListBucket limited to the
   * `audit/anchors/` prefix, the key through S3 for Decrypt only. No write of any kind.
   */
  readAuditAnchors(store: ExportStore): this {
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: [store.auditObjectsArn] }));
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [store.bucketArn], conditions: { StringLike: { 's3:prefix': [`${AUDIT_PREFIX}anchors/*`] } } }));
    this.role.addToPrincipalPolicy(keyThrough(this, store.encryptionKey, 's3', ['kms:Decrypt']));
    this.acknowledgeAuditObjects(store, 'reads case anchors and digests');
    this.setEnv('EXPORTS_BUCKET', store.bucketName);
    return this;
  }

  private acknowledgeAuditObjects(store: ExportStore, what: string): void {
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${flattenCfnReference(Stack.of(this).resolve(store.auditObjectsArn))}]`,
      reason: `Digests are numbered and anchors keyed by case id at run time; the wildcard covers only the audit objects (audit/*) of the exports bucket, where this function ${what}; never a delete.`,
    });
  }

  /**
   * Lets the function manage one-time schedules in one group, passing exactly one execution role to Scheduler,
   * and names the group, target, role and dead-letter queue in its environment.
   */
  allowScheduling(target: ScheduleTarget): this {
    const stack = Stack.of(this);
    const schedules = stack.formatArn({ service: 'scheduler', resource: 'schedule', resourceName: `${target.groupName}/*`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: SCHEDULE_ACTIONS, resources: [schedules] }));
    // CreateSchedule and UpdateSchedule pass the role; PassRole only on that role, and only to Scheduler.
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [target.executionRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    // Acknowledged on the role (its policy), for exactly this ARN: any other wildcard still fails synth.
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${flattenCfnReference(stack.resolve(schedules))}]`,
      reason: `Schedules are created per case timer at run time with names unknown at deploy time; the wildcard covers only schedules in the dedicated group ${target.groupName}, never another group.`,
    });
    this.setEnv('INTEGRATIONS', 'aws');
    this.setEnv('SCHEDULE_GROUP_NAME', target.groupName);
    this.setEnv('CHECKPOINT_FUNCTION_ARN', target.target.functionArn);
    this.setEnv('SCHEDULER_ROLE_ARN', target.executionRole.roleArn);
    this.setEnv('SCHEDULER_DLQ_ARN', target.deadLetterQueue.queueArn);
    return this;
  }

  /**
   * Tags the case objects of the evidence and exports buckets (the retention-ended tag their lifecycle rules filter
   * on; tagging never deletes) and names both buckets in the environment.
   */
  tagRetainedObjects(evidence: EvidenceStore, exports: ExportStore): this {
    const actions = ['s3:PutObjectTagging', 's3:PutObjectVersionTagging'];
    for (const arn of [evidence.caseObjectsArn, exports.caseObjectsArn]) {
      this.role.addToPrincipalPolicy(new PolicyStatement({ actions, resources: [arn] }));
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${flattenCfnReference(Stack.of(this).resolve(arn))}]`,
        reason: 'The retention job tags the objects of cases whose record-keeping period has ended, keyed by ids created at run time; the wildcard covers only the case objects (cases/*), for tagging only, never a delete.',
      });
    }
    this.setEnv('EVIDENCE_BUCKET', evidence.bucketName);
    this.setEnv('EXPORTS_BUCKET', exports.bucketName);
    return this;
  }

  /** Signs or verifies feedback links: GetSecretValue on the signing secret only, the key only through Secrets Manager. */
  signFeedbackLinks(key: FeedbackSigningKey): this {
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [key.secret.secretArn] }));
    this.role.addToPrincipalPolicy(keyThrough(this, key.encryptionKey, 'secretsmanager', ['kms:Decrypt']));
    this.setEnv('FEEDBACK_SIGNING_SECRET_ARN', key.secret.secretArn);
    return this;
  }

  /** Seals and opens page cursors (list routes): GetSecretValue on the cursor secret only, the key only through Secrets Manager. */
  sealPageCursors(key: CursorSealingKey): this {
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [key.secret.secretArn] }));
    this.role.addToPrincipalPolicy(keyThrough(this, key.encryptionKey, 'secretsmanager', ['kms:Decrypt']));
    this.setEnv('CURSOR_KEY_SECRET_ARN', key.secret.secretArn);
    return this;
  }

  /** Checks helpdesk webhook signatures: GetSecretValue on the helpdesk secret only, the key only through Secrets Manager. */
  readHelpdeskSecrets(store: Pick<InboundChannelStore, 'helpdeskSecret' | 'encryptionKey'>): this {
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [store.helpdeskSecret.secretArn] }));
    this.role.addToPrincipalPolicy(keyThrough(this, store.encryptionKey, 'secretsmanager', ['kms:Decrypt']));
    this.setEnv('HELPDESK_SECRETS_ARN', store.helpdeskSecret.secretArn);
    return this;
  }

  /** Reads raw inbound messages: GetObject (and so HeadObject) under the SES prefix only, the key only through S3. */
  readInboundMail(store: Pick<InboundChannelStore, 'mailBucketName' | 'mailObjectsArn' | 'encryptionKey'>): this {
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: [store.mailObjectsArn] }));
    this.role.addToPrincipalPolicy(keyThrough(this, store.encryptionKey, 's3', ['kms:Decrypt']));
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${flattenCfnReference(Stack.of(this).resolve(store.mailObjectsArn))}]`,
      reason: `SES names each raw message at receipt; the wildcard covers only the messages under ${INBOUND_MAIL_PREFIX} of the raw-mail bucket, for GetObject only (no write, no delete).`,
    });
    this.setEnv('INBOUND_MAIL_BUCKET', store.mailBucketName);
    return this;
  }

  /** Invokes the export builder (asynchronously, InvokeFunction on that function only) and names it in the environment. */
  launchExports(builder: IFunction): this {
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [builder.functionArn] }));
    this.setEnv('EXPORT_BUILDER_FUNCTION_ARN', builder.functionArn);
    return this;
  }

  /**
   * Replays recorded inbound rejections through the inbound-email function (synchronously, InvokeFunction on that
   * function only) and names it in the environment: the replay route parses no mail and reads no raw-mail bucket.
   */
  replayInboundMailThrough(intake: IFunction): this {
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [intake.functionArn] }));
    this.setEnv('INBOUND_EMAIL_FUNCTION_ARN', intake.functionArn);
    return this;
  }

  /** PutEvents on this bus only, and its name in the environment. */
  allowPublishEvents(bus: IEventBus): this {
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['events:PutEvents'], resources: [bus.eventBusArn] }));
    this.setEnv('INTEGRATIONS', 'aws');
    this.setEnv('EVENT_BUS_NAME', bus.eventBusName);
    return this;
  }

  /** Publish (and PublishBatch, which Publish authorises) on this topic only, its key only through SNS, and its ARN in the environment. */
  allowNotify(topic: ITopic, encryptionKey: IKey): this {
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['sns:Publish'], resources: [topic.topicArn] }));
    this.role.addToPrincipalPolicy(keyThrough(this, encryptionKey, 'sns', KEY_PRODUCE));
    this.setEnv('INTEGRATIONS', 'aws');
    this.setEnv('NOTIFICATION_TOPIC_ARN', topic.topicArn);
    return this;
  }

  /**
   * Settles the callback tasks of `machine` (SendTaskSuccess, SendTaskFailure; see TASK_TOKEN_ACTIONS for why on "*")
   * and names the machine in the environment.
   */
  /**
   * Lets the function call Bedrock's Converse API (bedrock:InvokeModel) on the one configured model: a foundation model,
   * or a cross-region inference profile and the foundation model it routes to in any region. Nothing else in Bedrock.
   */
  invokeTriageModel(modelId: string): this {
    const stack = Stack.of(this);
    const profile = /^(us|eu|apac|us-gov|global)\.(.+)$/.exec(modelId);
    const resources = profile
      ? [`arn:${stack.partition}:bedrock:${stack.region}:${stack.account}:inference-profile/${modelId}`, `arn:${stack.partition}:bedrock:*::foundation-model/${profile[2]}`]
      : [`arn:${stack.partition}:bedrock:${stack.region}::foundation-model/${modelId}`];
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['bedrock:InvokeModel'], resources }));
    if (profile) {
      Validations.of(this.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:bedrock:*::foundation-model/' + profile[2] + ']',
        reason: `A cross-region inference profile (${modelId}) routes each request to the foundation model in one of its regions, chosen by Bedrock at call time; the grant names the one model, in any region, and the one profile.`,
      });
    }
    return this;
  }

  settleWorkflowTasks(machine: WorkflowMachine): this {
    if (!this.settlesTasks) {
      this.role.addToPrincipalPolicy(new PolicyStatement({ actions: [...TASK_TOKEN_ACTIONS], resources: ['*'] }));
      // Acknowledged on the role (its policy), in addition to the X-Ray acknowledgement on the function, with this reason.
      Validations.of(this.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'states:SendTaskSuccess and states:SendTaskFailure support no resource-level permissions (the Service Authorization Reference for Step Functions lists no resource type for them), so AWS requires Resource "*"; the task token, read only from the case record, names the one task settled.',
      });
      this.settlesTasks = true;
    }
    this.setEnv(machine.envVar, machine.stateMachineArn);
    return this;
  }

  /** StartExecution on these state machines only (executions are named per proposal or escalation), and their ARNs in the environment. */
  startWorkflows(...machines: WorkflowMachine[]): this {
    if (!machines.length) throw new Error(`${this.node.path}: startWorkflows needs at least one state machine`);
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['states:StartExecution'], resources: machines.map((m) => m.stateMachineArn) }));
    for (const machine of machines) this.setEnv(machine.envVar, machine.stateMachineArn);
    return this;
  }

  /**
   * A reference to the dead-letter queue without its key, for the CDK destinations: with the key they would grant
   * `kms:GenerateDataKey*` and `kms:ReEncrypt*` without `kms:ViaService`. They grant the SQS actions; the key is
   * granted here instead, by name and only through SQS.
   */
  private keylessQueue(deadLetter: DeadLetterQueue, id: string): IQueue {
    this.role.addToPrincipalPolicy(keyThrough(this, deadLetter.encryptionKey, 'sqs', KEY_PRODUCE));
    return Queue.fromQueueArn(this, id, deadLetter.queue.queueArn);
  }

  private setEnv(name: keyof ServiceEnv, value: string): void {
    this.function.addEnvironment(name, value);
  }
}
