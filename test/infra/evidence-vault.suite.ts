// Evidence vault: the Object Lock bucket (COMPLIANCE retention, versioning, SSE-KMS with the project key, private,
// TLS-only, uploads only with the project key, no deletes), its access-log bucket, the Object Created rule on the
// default bus that invokes the verifier, exactly the S3 access each function needs, and no principal anywhere that
// may delete an object or loosen the lock.
import type { CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { EVIDENCE_ACCESS } from '../../infra/constructs/api';
import { EVIDENCE_GRANTS, EVIDENCE_KEY_ENV, type ApiFunction } from '../../infra/constructs/api-function';
import { EVIDENCE_VERIFIER_ENTRY } from '../../infra/constructs/evidence-verifier';
import { ACCESS_LOG_RETENTION, DEFAULT_EVIDENCE_RETENTION_DAYS, evidenceBucketNames, evidenceBucketPrefix } from '../../infra/constructs/evidence-vault';
import { routeList } from '#http/routes';
import { alarmedMetrics, resolveIn, resourceOf, resourcesInFamily, stackFamily, statementsOfRole, templateOf } from '../support/stacks';
import { sharedApp } from '../support/infra-app';

const { stateful, api } = sharedApp();
// Synthesise first: cross-stack values resolve to their consumer-side form only afterwards.
const statefulTemplate = Template.fromStack(stateful);
const apiTemplate = Template.fromStack(api);

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string };
type Statement = {
  Sid?: string;
  Effect: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: unknown;
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
};
type Document = { Statement: Statement[] };

const list = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const ofType = (template: Template, type: string) => Object.entries(template.findResources(type) as Record<string, Resource>);
const only = <T>(items: T[]): T => {
  expect(items).toHaveLength(1);
  return items[0]!;
};
const logicalId = (stack: Stack, construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);

const vault = stateful.evidence;
const key = stateful.data.cases.encryptionKey;
const keyArn = { 'Fn::GetAtt': [logicalId(stateful, key), 'Arn'] };
const bucketId = logicalId(stateful, vault.bucket);
const logsId = logicalId(stateful, vault.accessLogs);
const bucket = () => statefulTemplate.findResources('AWS::S3::Bucket')[bucketId] as Resource;
const logs = () => statefulTemplate.findResources('AWS::S3::Bucket')[logsId] as Resource;
const policyOf = (template: Template, bucketLogicalId: string): Statement[] =>
  (only(ofType(template, 'AWS::S3::BucketPolicy').filter(([, p]) => same(p.Properties.Bucket, { Ref: bucketLogicalId })))[1].Properties.PolicyDocument as Document).Statement;

/** `{ "Fn::Join": ["", [...]] }` of the bucket name, as the API stack sees it: account and region pseudo parameters, no stack output. */
const apiResolved = (value: unknown) => api.resolve(value);
const caseObjectsArn = apiResolved(vault.caseObjectsArn);

const fnOf = (entry: string): ApiFunction => {
  const fn = api.api.functions.get(entry) ?? api.evidenceVerifier.functions.get(entry) ?? api.scheduler.functions.get(entry);
  if (!fn) throw new Error(`no function for ${entry}`);
  return fn;
};
// A route function is in a nested route stack: its resource, its policies and the tokens it names are those of that stack.
const envOf = (fn: ApiFunction) => (resourceOf(fn.function).Properties.Environment as { Variables: Record<string, unknown> }).Variables;
const statementsOf = (fn: ApiFunction): Statement[] => statementsOfRole<Statement>(fn.role);
/** A token as the function's stack sees it. */
const seenBy = (fn: ApiFunction, value: unknown) => resolveIn(fn.function, value);
/** S3 actions the function has on the evidence objects (the exports bucket has its own tests: export-vault.suite.ts). */
const s3Actions = (fn: ApiFunction) =>
  statementsOf(fn)
    .filter((s) => list(s.Resource).some((r) => same(r, seenBy(fn, vault.caseObjectsArn))))
    .flatMap((s) => list(s.Action).filter((a) => a.startsWith('s3:')));
const viaS3 = (fn: ApiFunction) => statementsOf(fn).filter((s) => JSON.stringify(s.Condition?.StringEquals?.['kms:ViaService'] ?? '').includes('"s3."'));

const REGISTER = 'functions/register-evidence/handler.ts';
const LIST = 'functions/list-evidence/handler.ts';
const GET = 'functions/get-evidence/handler.ts';
const LEGAL_HOLD = 'functions/legal-hold/handler.ts';

describe('the evidence bucket (stateful stack)', () => {
  it('is one of the two Object Lock buckets (with the exports bucket), retained whatever happens to the stack or the resource', () => {
    const locked = ofType(statefulTemplate, 'AWS::S3::Bucket').filter(([, b]) => b.Properties.ObjectLockEnabled === true);
    expect(locked.map(([id]) => id).sort()).toEqual([bucketId, logicalId(stateful, stateful.exports.bucket)].sort());
    // Kept, except when the stack's first create rolls back (it is empty then; first-day-deploy.suite.ts).
    expect(bucket().DeletionPolicy).toBe('RetainExceptOnCreate');
    expect(bucket().UpdateReplacePolicy).toBe('Retain');
  });

  it(`locks every object version in COMPLIANCE mode for ${DEFAULT_EVIDENCE_RETENTION_DAYS} days (seven years) by default`, () => {
    expect(bucket().Properties.ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 2557 } },
    });
    expect(DEFAULT_EVIDENCE_RETENTION_DAYS).toBe(7 * 365 + 2);
  });

  it('takes the retention from complaints:evidenceRetentionDays, still in COMPLIANCE mode', () => {
    const custom = sharedApp({ 'complaints:evidenceRetentionDays': 3650 }).stateful;
    const props = (Template.fromStack(custom).findResources('AWS::S3::Bucket')[logicalId(custom, custom.evidence.bucket)] as Resource).Properties;
    expect(props.ObjectLockConfiguration).toEqual({ ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 3650 } } });
  });

  it('is versioned (required by Object Lock; a second upload to a key never replaces the verified version)', () => {
    expect(bucket().Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
  });

  it('encrypts with SSE-KMS and the project key (the one that encrypts the tables), with an S3 Bucket Key', () => {
    // The one symmetric key; the other key is the exports' signing key (asymmetric, sign/verify only).
    expect(ofType(statefulTemplate, 'AWS::KMS::Key').filter(([, k]) => k.Properties.KeySpec === undefined)).toHaveLength(1);
    expect(bucket().Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn } }],
    });
  });

  it('blocks every kind of public access and disables ACLs', () => {
    expect(bucket().Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(bucket().Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
  });

  it('logs every request to the access-log bucket', () => {
    expect(bucket().Properties.LoggingConfiguration).toMatchObject({ DestinationBucketName: { Ref: logsId }, LogFilePrefix: 'evidence/' });
  });

  it('sends its events to EventBridge, set on the bucket (no notifications custom resource, no function in the stateful stack)', () => {
    expect(bucket().Properties.NotificationConfiguration).toEqual({ EventBridgeConfiguration: { EventBridgeEnabled: true } });
    for (const template of [statefulTemplate, apiTemplate]) {
      expect(ofType(template, 'Custom::S3BucketNotifications')).toEqual([]);
      expect(ofType(template, 'Custom::S3AutoDeleteObjects')).toEqual([]);
    }
    expect(ofType(statefulTemplate, 'AWS::Lambda::Function')).toEqual([]);
  });

  it('lives in the account’s own regional namespace under a name every stack can compute: <prefix>-evidence-<account>-<region>-an', () => {
    expect(bucket().Properties).toMatchObject({ BucketNamespace: 'account-regional', BucketNamePrefix: 'complaints-evidence' });
    expect(stateful.resolve(vault.bucketName)).toEqual({ 'Fn::Join': ['', ['complaints-evidence-', { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }, '-an']] });
    // The API stack names it with its own pseudo parameters: no cross-stack reference, and the same string for IAM.
    expect(apiResolved(vault.bucketName)).toEqual(stateful.resolve(vault.bucketName));
    expect(JSON.stringify(caseObjectsArn)).not.toContain('GetStackOutput');
    expect(caseObjectsArn).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::complaints-evidence-', { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }, '-an/cases/*']] });
    statefulTemplate.hasOutput('EvidenceBucketName', { Value: { Ref: bucketId } });
  });

  it('refuses a deployment prefix that would make the bucket name longer than 63 characters', () => {
    expect(evidenceBucketPrefix('complaints')).toBe('complaints-evidence');
    expect(evidenceBucketPrefix('a'.repeat(23))).toHaveLength(32);
    expect(() => evidenceBucketPrefix('a'.repeat(24))).toThrow(/63/);
    expect(() => evidenceBucketPrefix('a'.repeat(28), 'us-east-1')).not.toThrow();
    expect(() => evidenceBucketPrefix('a'.repeat(29), 'us-east-1')).toThrow(/63/);
    expect(() => evidenceBucketNames('a'.repeat(24))).toThrow(/shorten the stack prefix/);
  });
});

describe('the evidence bucket policy', () => {
  const statements = () => policyOf(statefulTemplate, bucketId);
  const objects = { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] };
  const bySid = (sid: string) => only(statements().filter((s) => s.Sid === sid));

  it('allows nothing: it only denies', () => {
    expect(statements().length).toBeGreaterThanOrEqual(5);
    for (const s of statements()) expect(s.Effect).toBe('Deny');
  });

  it('denies every request not over TLS, and TLS older than 1.2', () => {
    expect(statements()).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    expect(statements()).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' }, Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
    );
  });

  it('denies an upload that does not ask for SSE-KMS (including one that names no encryption at all)', () => {
    expect(bySid('DenyUploadsWithoutSseKms')).toEqual({
      Sid: 'DenyUploadsWithoutSseKms',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:PutObject',
      Resource: objects,
      Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
    });
  });

  it('denies an upload that does not name the project key (the presigned PUT signs the key ARN)', () => {
    expect(bySid('DenyUploadsWithAnotherKey')).toEqual({
      Sid: 'DenyUploadsWithAnotherKey',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:PutObject',
      Resource: objects,
      Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': keyArn } },
    });
  });

  it('denies an upload that is not a conditional write (If-None-Match: *): keys are written once', () => {
    expect(bySid('DenyOverwritingUploads')).toEqual({
      Sid: 'DenyOverwritingUploads',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:PutObject',
      Resource: objects,
      Condition: { Null: { 's3:if-none-match': 'true' } },
    });
  });

  it('denies deleting any object version, delete markers and governance bypass to every principal', () => {
    expect(bySid('DenyDeletingEvidence')).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' }, Resource: objects });
    expect(list(bySid('DenyDeletingEvidence').Action).sort()).toEqual(['s3:BypassGovernanceRetention', 's3:DeleteObject', 's3:DeleteObjectVersion']);
    expect(bySid('DenyDeletingEvidence').Condition).toBeUndefined();
  });
});

describe('the access-log bucket', () => {
  it('is SSE-S3 (what S3 log delivery requires), private, versioned and retained', () => {
    expect(logs().Properties).toMatchObject({
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      VersioningConfiguration: { Status: 'Enabled' },
    });
    expect(logs().Properties.ObjectLockEnabled).toBeUndefined();
    expect(logs().DeletionPolicy).toBe('Retain');
  });

  it(`expires logs after ${ACCESS_LOG_RETENTION.toDays()} days (and their old versions after that)`, () => {
    const rules = (logs().Properties.LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;
    expect(only(rules)).toMatchObject({ Status: 'Enabled', ExpirationInDays: 400, NoncurrentVersionExpiration: { NoncurrentDays: expect.any(Number) } });
  });

  it('is TLS-only, and only S3 log delivery for the evidence, exports and raw-mail buckets of this account may write to it, each under its prefix', () => {
    const statements = policyOf(statefulTemplate, logsId);
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(3);
    for (const [source, prefix] of [
      [bucketId, 'evidence'],
      [logicalId(stateful, stateful.exports.bucket), 'exports'],
      [logicalId(stateful, stateful.channels.mailBucket), 'inbound-mail'],
    ] as const) {
      expect(allows).toContainEqual(
        expect.objectContaining({
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logsId, 'Arn'] }, `/${prefix}/*`]] },
          Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [source, 'Arn'] } }, StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        }),
      );
    }
  });
});

describe('the Object Created rule and the verifier (API stack)', () => {
  const verifier = api.evidenceVerifier.verifier;
  const [ruleId, rule] = (() => only(ofType(apiTemplate, 'AWS::Events::Rule').filter(([id]) => id === logicalId(api, api.evidenceVerifier.rule))))();

  it('matches Object Created from S3 in the evidence bucket, evidence keys only, on the default bus', () => {
    expect(rule.Properties.EventBusName).toBeUndefined();
    expect(rule.Properties.State).toBe('ENABLED');
    expect(rule.Properties.EventPattern).toEqual({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: { bucket: { name: [apiResolved(vault.bucketName)] }, object: { key: [{ wildcard: 'cases/*/evidence/*' }] } },
    });
  });

  it('invokes the verifier, retrying a failed delivery for a day', () => {
    const target = only(rule.Properties.Targets as Record<string, unknown>[]);
    expect(target).toMatchObject({ Arn: { 'Fn::GetAtt': [logicalId(api, verifier.function), 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 } });
    const permission = only(ofType(apiTemplate, 'AWS::Lambda::Permission').filter(([, p]) => same(p.Properties.SourceArn, { 'Fn::GetAtt': [ruleId, 'Arn'] })))[1];
    expect(permission.Properties).toMatchObject({ Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', FunctionName: { 'Fn::GetAtt': [logicalId(api, verifier.function), 'Arn'] } });
  });

  it('is the function of functions/evidence-verifier/handler.ts, told the bucket and the table', () => {
    expect(api.evidenceVerifier.functions.get(EVIDENCE_VERIFIER_ENTRY)).toBe(verifier);
    expect(envOf(verifier)).toMatchObject({ EVIDENCE_BUCKET: seenBy(verifier, vault.bucketName), TABLE_NAME: seenBy(verifier, stateful.data.cases.table.tableName) });
  });

  it('may read the object, its attributes, retention and legal hold (HEAD with checksum, streaming fallback) and put a legal hold, the key only through S3', () => {
    expect(s3Actions(verifier).sort()).toEqual(
      ['s3:GetObject', 's3:GetObjectAttributes', 's3:GetObjectLegalHold', 's3:GetObjectRetention', 's3:GetObjectVersion', 's3:GetObjectVersionAttributes', 's3:PutObjectLegalHold'].sort(),
    );
    expect([...new Set(viaS3(verifier).flatMap((s) => list(s.Action)))]).toEqual(['kms:Decrypt']);
  });

  it('records verdicts in the cases table', () => {
    const onTable = statementsOf(verifier).filter((s) => list(s.Resource).some((r) => same(r, seenBy(verifier, stateful.data.cases.table.tableArn))));
    expect(onTable.flatMap((s) => list(s.Action))).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem']));
  });

  it('sends events it fails on after Lambda’s retries to the evidence dead-letter queue', () => {
    const [, config] = only(ofType(apiTemplate, 'AWS::Lambda::EventInvokeConfig').filter(([, c]) => same(c.Properties.FunctionName, { Ref: logicalId(api, verifier.function) })));
    expect(config.Properties).toMatchObject({ DestinationConfig: { OnFailure: { Destination: apiResolved(vault.verificationDeadLetters.queue.queueArn) } } });
  });

  it('alarms on a lost delivery (the rule’s target dead-letter queue), a dead-lettered event and verifier errors (account-level)', () => {
    const alarms = ofType(apiTemplate, 'AWS::CloudWatch::Alarm').flatMap(([, a]) => alarmedMetrics(a.Properties));
    const rule = (apiTemplate.toJSON() as { Resources: Record<string, { Properties: { Targets: { DeadLetterConfig?: unknown }[] } }> }).Resources[ruleId]!;
    const targetDlq = apiResolved(api.eventTargetDeadLetters.queueName);
    expect(rule.Properties.Targets[0]!.DeadLetterConfig).toBeDefined();
    expect(alarms.filter((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible' && same(a.Dimensions, [{ Name: 'QueueName', Value: targetDlq }]))).toHaveLength(1);
    const queueName = apiResolved(vault.verificationDeadLetters.queue.queueName);
    expect(alarms.filter((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible' && same(a.Dimensions, [{ Name: 'QueueName', Value: queueName }]))).toHaveLength(1);
    expect(alarms.filter((a) => a.Namespace === 'AWS/Lambda' && a.MetricName === 'Errors' && a.Dimensions === undefined)).toHaveLength(1);
    expect(logicalId(api, verifier.function)).toBeDefined();
  });
});

describe('what each function may do with evidence objects', () => {
  it('maps the evidence routes to their use: list reads the table only, register uploads, get downloads, legal hold holds', () => {
    expect(EVIDENCE_ACCESS).toEqual({
      listEvidence: 'list',
      registerEvidence: 'upload',
      getEvidence: 'download',
      legalHold: 'legalHold',
      // Evidence the service writes itself: a ticket's attachments, the text of the letters sent.
      helpdeskIntake: 'store',
      // (A replayed email's files are stored by the inbound-email function the replay route invokes: not a route's use.)
      recordAcknowledgement: 'letter',
      sendFinalResponse: 'letter',
    });
  });

  it('register-evidence: PutObject on cases/* only (it signs the presigned PUT), a data key only through S3', () => {
    const fn = fnOf(REGISTER);
    expect(s3Actions(fn)).toEqual(['s3:PutObject']);
    expect(list(only(viaS3(fn)).Action)).toEqual(['kms:GenerateDataKey']);
    expect(only(viaS3(fn)).Resource).toEqual(seenBy(fn, key.keyArn));
    expect(envOf(fn).EVIDENCE_BUCKET).toEqual(seenBy(fn, vault.bucketName));
  });

  it(`only the functions that write evidence are told the project key ARN (${EVIDENCE_KEY_ENV}): a PUT must name it for the bucket policy`, () => {
    // register-evidence signs the presigned PUT; helpdesk intake stores a ticket's attachments; the letter routes keep the text sent.
    const writers = new Set(routeList().filter((r) => ['upload', 'store', 'letter'].includes(EVIDENCE_ACCESS[r.id] ?? '')).map((r) => r.entry));
    expect([...writers].sort()).toEqual([REGISTER, 'functions/helpdesk-intake/handler.ts', 'functions/record-acknowledgement/handler.ts', 'functions/send-final-response/handler.ts'].sort());
    for (const entry of writers) expect(envOf(fnOf(entry))[EVIDENCE_KEY_ENV]).toEqual(seenBy(fnOf(entry), key.keyArn));
    const others = [...api.api.functions, ...api.scheduler.functions, ...api.evidenceVerifier.functions].filter(([entry]) => !writers.has(entry));
    for (const [, fn] of others) expect(envOf(fn)[EVIDENCE_KEY_ENV]).toBeUndefined();
  });

  it('get-evidence: GetObject and GetObjectVersion (the presigned GET of the verified version), Decrypt only through S3, and writes its audit event', () => {
    const fn = fnOf(GET);
    expect(s3Actions(fn).sort()).toEqual(['s3:GetObject', 's3:GetObjectVersion']);
    expect(list(only(viaS3(fn)).Action)).toEqual(['kms:Decrypt']);
    const onTable = statementsOf(fn).filter((s) => list(s.Resource).some((r) => same(r, seenBy(fn, stateful.data.cases.table.tableArn))));
    expect(onTable.flatMap((s) => list(s.Action))).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem']));
  });

  it('legal-hold: put and read legal hold, HEAD an uploaded object (GetObject, Decrypt only through S3)', () => {
    const fn = fnOf(LEGAL_HOLD);
    expect(s3Actions(fn).sort()).toEqual(['s3:GetObject', 's3:GetObjectLegalHold', 's3:GetObjectVersion', 's3:PutObjectLegalHold']);
    expect(list(only(viaS3(fn)).Action)).toEqual(['kms:Decrypt']);
  });

  it('list-evidence: nothing on S3 (the evidence log is in the table), though told the bucket its evidence service is built with', () => {
    const fn = fnOf(LIST);
    expect(s3Actions(fn)).toEqual([]);
    expect(viaS3(fn)).toEqual([]);
    expect(envOf(fn).EVIDENCE_BUCKET).toEqual(seenBy(fn, vault.bucketName));
  });

  it('every other function: nothing on S3, and not told the bucket', () => {
    const evidenceEntries = new Set([...routeList().filter((r) => EVIDENCE_ACCESS[r.id] !== undefined).map((r) => r.entry), EVIDENCE_VERIFIER_ENTRY]);
    expect(evidenceEntries).toEqual(new Set([REGISTER, LIST, GET, LEGAL_HOLD, EVIDENCE_VERIFIER_ENTRY, 'functions/helpdesk-intake/handler.ts', 'functions/record-acknowledgement/handler.ts', 'functions/send-final-response/handler.ts']));
    const others = [...api.api.functions, ...api.scheduler.functions, ...api.evidenceVerifier.functions].filter(([entry]) => !evidenceEntries.has(entry));
    expect(others.length).toBeGreaterThan(10);
    for (const [, fn] of others) {
      expect(s3Actions(fn)).toEqual([]);
      expect(envOf(fn).EVIDENCE_BUCKET).toBeUndefined();
    }
  });

  it('grants S3 actions only on cases/* of the evidence or the exports bucket (and the exports bucket\'s audit/*): never a bucket itself unless listing audit anchors by prefix, another bucket or "*"', () => {
    // Every policy of the API stack and its nested route stacks, each object ARN as the policy's own stack sees it.
    const s3 = resourcesInFamily(api, 'AWS::IAM::Policy').flatMap(({ stack, resource: p }) =>
      (p.Properties.PolicyDocument as Document).Statement.filter((s) => list(s.Action).some((a) => a.toLowerCase().startsWith('s3:'))).map((s) => ({ stack, s })),
    );
    expect(s3.length).toBeGreaterThanOrEqual(4);
    for (const { stack, s } of s3) {
      // The email intake reads the raw message from inbound/* of the raw-mail bucket (channels.suite.ts); nothing else there.
      // The digest job and the export builder write audit/* (digests, anchors); the timeline reads it (issue 25, finding 8).
      const allowed = [vault.caseObjectsArn, stateful.exports.caseObjectsArn, stateful.exports.auditObjectsArn, stateful.channels.mailObjectsArn].map((r) => JSON.stringify(stack.resolve(r)));
      expect(list(s.Resource).length).toBeGreaterThan(0);
      if (list(s.Action).includes('s3:ListBucket')) {
        // Listing only: the exports bucket, narrowed to the anchors' prefix.
        expect(s).toMatchObject({ Action: 's3:ListBucket', Condition: { StringLike: { 's3:prefix': ['audit/anchors/*'] } } });
        expect(list(s.Resource).map((r) => JSON.stringify(r))).toEqual([JSON.stringify(stack.resolve(stateful.exports.bucketArn))]);
        continue;
      }
      for (const r of list(s.Resource)) expect(allowed).toContain(JSON.stringify(r));
    }
  });

  it('grants each use exactly its declared actions', () => {
    const uses = {
      list: fnOf(LIST),
      upload: fnOf(REGISTER),
      download: fnOf(GET),
      legalHold: fnOf(LEGAL_HOLD),
      store: fnOf('functions/helpdesk-intake/handler.ts'),
      letter: fnOf('functions/record-acknowledgement/handler.ts'),
    };
    for (const [use, fn] of Object.entries(uses)) expect(s3Actions(fn).sort()).toEqual([...EVIDENCE_GRANTS[use as keyof typeof uses].objects].sort());
    const verifierUses = new Set([...EVIDENCE_GRANTS.verify.objects, ...EVIDENCE_GRANTS.legalHold.objects]);
    expect(new Set(s3Actions(api.evidenceVerifier.verifier))).toEqual(verifierUses);
  });
});

// ---- No principal may delete evidence or loosen the lock --------------------------------------------------------

/** Concrete actions no Allow statement may cover: every delete of an object (or the bucket), governance bypass, and changing the lock configuration. */
const FORBIDDEN = [
  's3:DeleteObject',
  's3:DeleteObjectVersion',
  's3:DeleteObjectTagging',
  's3:DeleteObjectVersionTagging',
  's3:DeleteBucket',
  's3:DeleteBucketPolicy',
  's3:BypassGovernanceRetention',
  's3:PutBucketObjectLockConfiguration',
];

/** IAM action matching: case-insensitive, `*` any run of characters, `?` one character. */
const covers = (pattern: string, action: string) =>
  new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i').test(action);

/** The forbidden actions an Allow statement grants, through Action patterns or through NotAction (everything not excluded). */
const forbiddenIn = (s: Statement): string[] => {
  if (s.Effect !== 'Allow') return [];
  if (s.NotAction !== undefined) return FORBIDDEN.filter((f) => !list(s.NotAction).some((p) => covers(p, f)));
  return FORBIDDEN.filter((f) => list(s.Action).some((p) => covers(p, f)));
};

/** Every statement of every identity policy (managed, standalone, inline on roles, users, groups) and every resource policy, in both stacks. */
const everyStatement = (): { where: string; statement: Statement }[] =>
  (
    [
      ['stateful', statefulTemplate],
      // The API stack and its nested route stacks.
      ...stackFamily(api).map((s) => [s.node.path, templateOf(s)] as const),
    ] as const
  ).flatMap(([name, template]) => {
    const identity = ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'].flatMap((type) =>
      ofType(template, type).flatMap(([id, p]) => (p.Properties.PolicyDocument as Document).Statement.map((statement) => ({ where: `${name}/${id}`, statement }))),
    );
    const inline = ['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group'].flatMap((type) =>
      ofType(template, type).flatMap(([id, r]) =>
        ((r.Properties.Policies as { PolicyDocument: Document }[] | undefined) ?? []).flatMap((p) => p.PolicyDocument.Statement.map((statement) => ({ where: `${name}/${id}`, statement }))),
      ),
    );
    const resource = ['AWS::S3::BucketPolicy', 'AWS::SQS::QueuePolicy', 'AWS::SNS::TopicPolicy'].flatMap((type) =>
      ofType(template, type).flatMap(([id, p]) => (p.Properties.PolicyDocument as Document).Statement.map((statement) => ({ where: `${name}/${id}`, statement }))),
    );
    return [...identity, ...inline, ...resource];
  });

describe('no principal may delete evidence or loosen its lock', () => {
  it('the matcher catches the actions themselves, wildcards that cover them and NotAction, and nothing harmless', () => {
    const allow = (x: Partial<Statement>): Statement => ({ Effect: 'Allow', Resource: '*', ...x });
    for (const action of ['s3:DeleteObject', 's3:DeleteObject*', 's3:Delete*', 's3:*', '*', 'S3:deleteobjectversion', 's3:BypassGovernanceRetention', 's3:PutBucketObjectLockConfiguration', 's3:Put*Lock*', 's3:?ypassGovernanceRetention']) {
      expect(forbiddenIn(allow({ Action: action }))).not.toEqual([]);
    }
    expect(forbiddenIn(allow({ NotAction: 's3:GetObject' }))).not.toEqual([]);
    expect(forbiddenIn(allow({ NotAction: ['s3:Delete*', 's3:Bypass*', 's3:PutBucketObjectLock*'] }))).toEqual([]);
    for (const action of ['s3:GetObject', 's3:PutObject', 's3:PutObjectLegalHold', 's3:GetObjectRetention', 'dynamodb:DeleteItem', 'scheduler:DeleteSchedule']) {
      expect(forbiddenIn(allow({ Action: action }))).toEqual([]);
    }
    expect(forbiddenIn({ Effect: 'Deny', Action: 's3:*' })).toEqual([]);
  });

  it('no Allow statement in any IAM policy or resource policy of either stack grants a delete, a governance bypass or a lock change', () => {
    const statements = everyStatement();
    expect(statements.length).toBeGreaterThan(50);
    const violations = statements.flatMap(({ where, statement }) => forbiddenIn(statement).map((action) => `${where}: ${action} via ${JSON.stringify(statement.Action ?? { NotAction: statement.NotAction })}`));
    expect(violations).toEqual([]);
  });

  it('no Allow statement uses NotAction or NotResource', () => {
    for (const { statement } of everyStatement().filter(({ statement }) => statement.Effect === 'Allow')) {
      expect(statement.NotAction).toBeUndefined();
      expect((statement as { NotResource?: unknown }).NotResource).toBeUndefined();
    }
  });
});
