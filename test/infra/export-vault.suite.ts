// Export vault and builder: the locked exports bucket (COMPLIANCE retention, versioned, SSE-KMS with the project key,
// TLS-only, no deletes, lifecycle only after the lock), the asymmetric signing key, the builder function (invoked by
// the case stream, its failures dead-lettered), and exactly the access each export function has. That no principal
// may delete a bundle is checked with every other policy in evidence-vault.suite.ts.
import type { CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { EXPORT_ACCESS } from '../../infra/constructs/api';
import { EXPORT_GRANTS, type ApiFunction } from '../../infra/constructs/api-function';
import { EXPORT_BUILDER_TIMEOUT } from '../../infra/constructs/export-builder';
import { routeList } from '#http/routes';
import { RETENTION_ENDED_TAG } from '#domain/evidence';
import { resolveIn, resourceOf, resourcesInFamily, statementsOfRole } from '../support/stacks';
import { sharedApp, testApp } from '../support/infra-app';

const { stateful, api } = sharedApp();
const statefulTemplate = Template.fromStack(stateful);
const apiTemplate = Template.fromStack(api);

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string };
type Statement = { Sid?: string; Effect: string; Action?: string | string[]; Resource?: unknown; Principal?: unknown; Condition?: Record<string, Record<string, unknown>> };
type Document = { Statement: Statement[] };

const list = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const ofType = (template: Template, type: string) => Object.entries(template.findResources(type) as Record<string, Resource>);
const logicalId = (stack: Stack, construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);

const vault = stateful.exports;
const bucketId = logicalId(stateful, vault.bucket);
const bucket = () => statefulTemplate.findResources('AWS::S3::Bucket')[bucketId] as Resource;
const bucketPolicy = (): Statement[] =>
  ofType(statefulTemplate, 'AWS::S3::BucketPolicy')
    .filter(([, p]) => same(p.Properties.Bucket, { Ref: bucketId }))
    .flatMap(([, p]) => (p.Properties.PolicyDocument as Document).Statement);
// Tokens, resolved where they are used: a route function's policies and environment are in its nested route stack.
const exportObjects = vault.caseObjectsArn;
const signingKey = vault.signingKey.keyArn;

const statementsOf = (fn: ApiFunction): Statement[] => statementsOfRole<Statement>(fn.role);
/** The function's statements on a resource (a token, resolved in the function's stack). */
const on = (fn: ApiFunction, resource: unknown) => statementsOf(fn).filter((s) => list(s.Resource).some((r) => same(r, resolveIn(fn.role, resource))));
const actionsOn = (fn: ApiFunction, resource: unknown) => on(fn, resource).flatMap((s) => list(s.Action)).sort();
/** A token as the function's stack sees it. */
const seenBy = (fn: ApiFunction, value: unknown) => resolveIn(fn.function, value);
const fnProps = (fn: ApiFunction) => resourceOf(fn.function).Properties;
const envOf = (fn: ApiFunction) => (fnProps(fn).Environment as { Variables: Record<string, unknown> }).Variables;
const route = (entry: string) => api.api.functions.get(entry)!;
const builder = api.exportBuilder.builder;

describe('the exports bucket (stateful stack)', () => {
  it('locks every bundle version in COMPLIANCE mode for the export retention (default seven years), versioned, retained', () => {
    expect(bucket().Properties.ObjectLockEnabled).toBe(true);
    expect(bucket().Properties.ObjectLockConfiguration).toEqual({ ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 2557 } } });
    expect(bucket().Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    // Kept on delete and replace; removed only when its own first create rolls back (empty then), so a retry succeeds (#29).
    expect(bucket().DeletionPolicy).toBe('RetainExceptOnCreate');
    expect(bucket().UpdateReplacePolicy).toBe('Retain');
  });

  it('takes its retention from complaints:exportRetentionDays and tells the functions the same', () => {
    const custom = testApp({ 'complaints:exportRetentionDays': 3653 });
    const props = (Template.fromStack(custom.stateful).findResources('AWS::S3::Bucket')[logicalId(custom.stateful, custom.stateful.exports.bucket)] as Resource).Properties;
    expect(props.ObjectLockConfiguration).toEqual({ ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 3653 } } });
    const fns = Template.fromStack(custom.api).findResources('AWS::Lambda::Function') as Record<string, Resource>;
    const builderEnv = (fns[logicalId(custom.api, custom.api.exportBuilder.builder.function)]!.Properties.Environment as { Variables: Record<string, string> }).Variables;
    expect(builderEnv.EXPORT_RETENTION_DAYS).toBe('3653');
  });

  it('lets bundles leave only by lifecycle, once the retention job has tagged their case’s retention as ended and their lock allows', () => {
    expect(bucket().Properties.LifecycleConfiguration).toEqual({
      Rules: [
        { Id: 'LeaveAfterRetention', Status: 'Enabled', TagFilters: [{ Key: RETENTION_ENDED_TAG.key, Value: RETENTION_ENDED_TAG.value }], ExpirationInDays: 1, NoncurrentVersionExpiration: { NoncurrentDays: 1 } },
        { Id: 'AbortIncompleteUploads', Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } },
      ],
    });
    // The evidence bucket follows the same rule: nothing leaves on the lock's date alone.
    const evidence = statefulTemplate.findResources('AWS::S3::Bucket')[logicalId(stateful, stateful.evidence.bucket)] as Resource;
    expect(evidence.Properties.LifecycleConfiguration).toEqual(bucket().Properties.LifecycleConfiguration);
  });

  it('refuses an SSE-KMS upload that does not name the key (it would use the AWS managed key); the builder is told the project key', () => {
    expect(bucketPolicy().find((s) => s.Sid === 'DenyKmsUploadsWithoutKeyId')).toMatchObject({
      Effect: 'Deny',
      Action: 's3:PutObject',
      Condition: { StringEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' }, Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'true' } },
    });
    expect(envOf(builder).EXPORTS_KMS_KEY_ARN).toEqual(seenBy(builder, stateful.data.cases.encryptionKey.keyArn));
  });

  it('encrypts with the project key (SSE-KMS, bucket key), blocks public access, logs to the access-log bucket under exports/', () => {
    expect(bucket().Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [logicalId(stateful, stateful.data.cases.encryptionKey), 'Arn'] } } }],
    });
    expect(bucket().Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(bucket().Properties.LoggingConfiguration).toMatchObject({ DestinationBucketName: { Ref: logicalId(stateful, stateful.evidence.accessLogs) }, LogFilePrefix: 'exports/' });
  });

  it('is TLS-only, denies deletes and governance bypass to everyone, and uploads under another key or without SSE-KMS (where the headers are sent)', () => {
    const policy = bucketPolicy();
    expect(policy).toContainEqual(expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    expect(policy.find((s) => s.Sid === 'DenyDeletingExports')).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' }, Action: ['s3:BypassGovernanceRetention', 's3:DeleteObject', 's3:DeleteObjectVersion'] });
    // Multipart parts carry no SSE headers: the conditions apply where the headers are present; the default encryption covers the rest.
    expect(policy.find((s) => s.Sid === 'DenyUploadsWithoutSseKms')?.Condition).toEqual({ StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption': 'aws:kms' } });
    expect(Object.keys(policy.find((s) => s.Sid === 'DenyUploadsWithAnotherKey')?.Condition ?? {})).toEqual(['StringNotEqualsIfExists']);
  });
});

describe('the signing key (stateful stack)', () => {
  const keyResource = () => statefulTemplate.findResources('AWS::KMS::Key')[logicalId(stateful, vault.signingKey)] as Resource;

  it('is an asymmetric P-256 key for signing only (ECDSA_SHA_256), retained (earlier bundles stay verifiable)', () => {
    expect(keyResource().Properties).toMatchObject({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    expect(keyResource().DeletionPolicy).toBe('Retain');
  });

  it('may sign only for the builder and the audit digest job, and publish its public key for them and the public-key route', () => {
    // Every policy of the API stack and its nested route stacks.
    const users = resourcesInFamily(api, 'AWS::IAM::Policy').flatMap(({ stack, resource: p }) =>
      (p.Properties.PolicyDocument as Document).Statement.filter((s) => list(s.Resource).some((r) => same(r, stack.resolve(signingKey)))),
    );
    // The builder signs manifests and (at every export) an audit digest; the digest job signs the scheduled digests.
    expect(users.flatMap((s) => list(s.Action)).filter((a) => a === 'kms:Sign')).toHaveLength(2);
    expect(actionsOn(builder, signingKey)).toEqual(['kms:GetPublicKey', 'kms:Sign']);
    expect(actionsOn(api.auditDigest.job, signingKey)).toEqual(['kms:GetPublicKey', 'kms:Sign']);
    expect(actionsOn(route('functions/export-public-key/handler.ts'), signingKey)).toEqual(['kms:GetPublicKey']);
    expect(envOf(route('functions/export-public-key/handler.ts')).EXPORT_SIGNING_KEY_ARN).toEqual(seenBy(route('functions/export-public-key/handler.ts'), signingKey));
    expect(envOf(route('functions/request-export/handler.ts')).EXPORT_SIGNING_KEY_ARN).toBeUndefined();
  });
});

describe('the export builder (API stack)', () => {
  it('runs up to 15 minutes, with pdfkit installed beside the bundle, invoked asynchronously with its failures dead-lettered', () => {
    expect(fnProps(builder).Timeout).toBe(EXPORT_BUILDER_TIMEOUT.toSeconds());
    const invokeConfig = ofType(apiTemplate, 'AWS::Lambda::EventInvokeConfig').find(([, c]) => same(c.Properties.FunctionName, { Ref: logicalId(api, builder.function) }));
    expect(invokeConfig?.[1].Properties).toMatchObject({ MaximumRetryAttempts: 2, DestinationConfig: { OnFailure: { Destination: api.resolve(stateful.exports.builderDeadLetters.queue.queueArn) } } });
    // Not a consumer of the table's stream (DynamoDB Streams serves two consumers per shard without throttling).
    const mappings = ofType(apiTemplate, 'AWS::Lambda::EventSourceMapping').filter(([, m]) => same(m.Properties.FunctionName, { Ref: logicalId(api, builder.function) }));
    expect(mappings).toEqual([]);
  });

  it('is invoked by the case-stream function only, which is told its ARN', () => {
    const arn = { 'Fn::GetAtt': [logicalId(api, builder.function), 'Arn'] };
    expect(resolveIn(api.scheduler.caseStream.role, builder.function.functionArn)).toEqual(arn);
    expect(actionsOn(api.scheduler.caseStream, arn)).toEqual(['lambda:InvokeFunction']);
    expect(envOf(api.scheduler.caseStream).EXPORT_BUILDER_FUNCTION_ARN).toEqual(arn);
  });

  it('reads evidence (GetObject) and writes bundles with their retention and hold, aborts failed uploads; never deletes', () => {
    expect(actionsOn(builder, exportObjects)).toEqual([...EXPORT_GRANTS.build.objects, ...EXPORT_GRANTS.legalHold.objects].filter((a, i, all) => all.indexOf(a) === i).sort());
    expect(actionsOn(builder, stateful.evidence.caseObjectsArn)).toEqual(['s3:GetObject', 's3:GetObjectVersion']);
    expect(envOf(builder)).toMatchObject({ EXPORTS_BUCKET: seenBy(builder, vault.bucketName), EVIDENCE_BUCKET: seenBy(builder, stateful.evidence.bucketName) });
  });
});

describe('what each route may do with bundles', () => {
  it.each(Object.entries(EXPORT_ACCESS))('%s: exactly its declared actions on the exports bucket', (id, uses) => {
    const fn = api.api.functions.get(routeList().find((r) => r.id === id)?.entry ?? '');
    expect(fn).toBeDefined();
    const expected = [...new Set(uses.flatMap((u) => EXPORT_GRANTS[u].objects))].sort();
    expect(actionsOn(fn!, exportObjects)).toEqual(expected);
    expect(envOf(fn!).EXPORTS_BUCKET).toEqual(seenBy(fn!, vault.bucketName));
  });

  it('no other function is told the exports bucket or may touch it', () => {
    // The timeline is told the bucket to read audit anchors under audit/ (never bundles: test/security/audit-iam.test.ts).
    // The release routes (#32) record the export a released bundle is built from, as request-export does.
    const exporters = new Set([builder, ...['request-export', 'get-export', 'export-public-key', 'customer-complaints', 'legal-hold', 'get-timeline', 'request-release', 'get-release', 'decide-release'].map((n) => route(`functions/${n}/handler.ts`))]);
    const all = [...api.api.functions.values(), ...api.scheduler.functions.values(), ...api.evidenceVerifier.functions.values(), ...api.workflows.functions.values(), ...api.reports.functions.values()];
    for (const fn of all.filter((f) => !exporters.has(f))) {
      expect(on(fn, exportObjects)).toEqual([]);
      expect(envOf(fn).EXPORTS_BUCKET).toBeUndefined();
    }
  });
});
