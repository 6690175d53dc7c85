// ApiFunction: the one Lambda function construct; fixed defaults, and intent methods that grant and configure together.
import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { ApplicationLogLevel, Architecture, LoggingFormat, Runtime, SystemLogLevel, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { z } from 'zod';
import type { ConfigSchema } from '#http/config';
import type { DataTable } from './case-table';

/** The repository root: bundling resolves package.json `imports` (`#http/*`, …) and the lock file from here. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Current Lambda Node.js runtime (cdk-nag L1 wants the newest the CDK knows). The code also runs on Node 20 locally. */
export const FUNCTION_RUNTIME = Runtime.NODEJS_24_X;

/** The variables the handlers read (`shared/http/config.ts`), typed so a misspelt name fails the build. */
export type ServiceEnv = Partial<Record<keyof z.input<typeof ConfigSchema>, string>>;

export type TableAccess = 'read' | 'readWrite';

// Named actions instead of grantReadData/grantReadWriteData: those include Scan (no request path scans)
// and KMS wildcards (`kms:GenerateDataKey*`, `kms:ReEncrypt*`).
const TABLE_READ = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
// Transactions are authorised per item action: TransactWriteItems needs Put/Update/Delete/ConditionCheckItem.
const TABLE_WRITE = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem'];
const KEY_READ = ['kms:Decrypt', 'kms:DescribeKey'];
const KEY_WRITE = ['kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'];

export interface ApiFunctionProps {
  /** Handler file relative to the repository root; it exports `handler`. */
  entry: string;
  description: string;
  /** Service settings shared by every function (SERVICE_NAME, LIST_SHARDS, …). */
  environment: ServiceEnv;
  /** Powertools metrics namespace and service name. */
  serviceName: string;
  metricsNamespace: string;
  logRetention: RetentionDays;
  timeout?: Duration;
  memorySize?: number;
}

export class ApiFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;
  readonly role: Role;

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

    this.function = new NodejsFunction(this, 'Function', {
      entry: path.join(REPO_ROOT, props.entry),
      handler: 'handler',
      description: props.description,
      runtime: FUNCTION_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(10),
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
      },
      environment: {
        ...props.environment,
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: props.metricsNamespace,
        // Same level as the Lambda application log level above, or Powertools warns about the mismatch.
        POWERTOOLS_LOG_LEVEL: 'INFO',
      },
    });

    Validations.of(this).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions, so AWS requires Resource "*".',
    });
  }

  /** Grants the function exactly the data-plane access `access` needs on the table, its indexes and its key, and names the table in its environment. */
  bindTable(data: DataTable, access: TableAccess = 'read'): this {
    const { table, encryptionKey, indexNames, envVar } = data;
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: access === 'read' ? TABLE_READ : [...TABLE_READ, ...TABLE_WRITE],
        resources: [table.tableArn, ...indexNames.map((name) => `${table.tableArn}/index/${name}`)],
      }),
    );
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: access === 'read' ? KEY_READ : [...KEY_READ, ...KEY_WRITE],
        resources: [encryptionKey.keyArn],
        // The key is usable only through DynamoDB, never for direct encrypt/decrypt calls.
        conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );
    this.function.addEnvironment(envVar, table.tableName);
    return this;
  }
}
