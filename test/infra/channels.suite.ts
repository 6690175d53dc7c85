// Channel intake in CDK (standalone, as the stacks wire it): the raw-mail bucket (project key, TLS only, private,
// access-logged, Object Created on the default bus), the SES receipt rule (scan, TLS required, S3 action under
// inbound/), the helpdesk secret under the project key, the email intake's rule and dead letters, and exactly the
// access each function gets: the webhook route its secret only, the email intake GetObject under inbound/ only,
// both a write-once PutObject of evidence (never a read or a delete).
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { ApiFunction, EVIDENCE_GRANTS } from '../../infra/constructs/api-function';
import { EVIDENCE_ACCESS, HELPDESK_SIGNED_ROUTES } from '../../infra/constructs/api';
import type { DataTable } from '../../infra/constructs/case-table';
import { EmailIntake, INBOUND_EMAIL_ENTRY } from '../../infra/constructs/email-intake';
import { EncryptionKey } from '../../infra/constructs/encryption-key';
import type { EvidenceStore } from '../../infra/constructs/evidence-vault';
import { InboundChannels, INBOUND_MAIL_PREFIX } from '../../infra/constructs/inbound-channels';

type Statement = { Effect?: string; Action: string | string[]; Resource: unknown; Principal?: unknown; Condition?: Record<string, Record<string, unknown>> };
const list = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);
const COMMON = { environment: {}, serviceName: 'complaints', metricsNamespace: 'Complaints', logRetention: RetentionDays.ONE_YEAR };

const build = () => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Test', { env: { account: '111111111111', region: 'eu-west-2' } });
  const key = new EncryptionKey(stack, 'Key', { description: 'test' });
  const accessLogs = new Bucket(stack, 'AccessLogs');
  const channels = new InboundChannels(stack, 'Channels', { namePrefix: 'complaints', encryptionKey: key.key, accessLogs, recipients: ['complaints@example.com'], rawMailRetentionDays: 90, emailReceiving: true });
  const evidence = { bucketName: 'test-evidence', bucketArn: 'arn:aws:s3:::test-evidence', caseObjectsArn: 'arn:aws:s3:::test-evidence/cases/*', encryptionKey: key.key } as unknown as EvidenceStore;
  const helpdesk = new ApiFunction(stack, 'Helpdesk', { ...COMMON, entry: 'functions/helpdesk-intake/handler.ts', description: 'test' }).readHelpdeskSecrets(channels).allowEvidence(evidence, 'store');
  const cases: DataTable = { table: new Table(stack, 'Cases', { partitionKey: { name: 'PK', type: AttributeType.STRING } }), encryptionKey: key.key, indexNames: [], envVar: 'TABLE_NAME' };
  const email = new EmailIntake(stack, 'EmailIntake', { ...COMMON, cases, evidence, channels });
  return { stack, channels, helpdesk, email, template: Template.fromStack(stack) };
};

const statementsOf = (template: Template, roleLogicalIdPrefix: string): Statement[] =>
  Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify((p as { Properties: { Roles: unknown } }).Properties.Roles).includes(roleLogicalIdPrefix))
    .flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement);

const actionsOf = (statements: Statement[]) => statements.flatMap((s) => list(s.Action));

describe('channel intake in CDK', () => {
  const { template, stack, email } = build();

  it('keeps raw mail in a private, TLS-only bucket under the project key, versioned, access-logged, expiring, with Object Created on the default bus', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: { 'Fn::Join': ['', ['complaints-inbound-mail-', { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }]] },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() }, BucketKeyEnabled: true }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: 'inbound-mail/' },
      NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 90, Status: 'Enabled' })] },
    });
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'RetainExceptOnCreate', Properties: Match.objectLike({ LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'inbound-mail/' }) }) });
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy')).flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement);
    expect(policies.some((s) => s.Effect === 'Deny' && JSON.stringify(s.Condition) === JSON.stringify({ Bool: { 'aws:SecureTransport': 'false' } }))).toBe(true);
    // SES may put objects, for this account only, and use the key only through S3.
    expect(policies.some((s) => JSON.stringify(s.Principal).includes('ses.amazonaws.com') && list(s.Action).includes('s3:PutObject'))).toBe(true);
    const keyPolicy = (Object.values(template.findResources('AWS::KMS::Key'))[0] as { Properties: { KeyPolicy: { Statement: Statement[] } } }).Properties.KeyPolicy.Statement;
    const ses = keyPolicy.find((s) => JSON.stringify(s.Principal).includes('ses.amazonaws.com'))!;
    expect(list(ses.Action).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(ses.Condition?.StringEquals).toMatchObject({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' }, 'kms:ViaService': 's3.eu-west-2.amazonaws.com' });
  });

  it('receives the inbox by SES with spam/virus scanning and TLS required, storing each message under inbound/', () => {
    template.hasResourceProperties('AWS::SES::ReceiptRuleSet', { RuleSetName: 'complaints-inbound' });
    template.hasResourceProperties('AWS::SES::ReceiptRule', {
      Rule: Match.objectLike({ Recipients: ['complaints@example.com'], ScanEnabled: true, TlsPolicy: 'Require', Enabled: true, Actions: [{ S3Action: Match.objectLike({ ObjectKeyPrefix: INBOUND_MAIL_PREFIX }) }] }),
    });
  });

  it('keeps the helpdesk secrets in a generated secret under the project key, retained', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', { KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] }, GenerateSecretString: Match.objectLike({ GenerateStringKey: 'generic', SecretStringTemplate: '{}' }) });
    template.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Retain' });
  });

  it('lets the webhook route read its secret only (the key only through Secrets Manager) and write evidence once, never read it', () => {
    expect([...HELPDESK_SIGNED_ROUTES]).toEqual(['helpdeskIntake']);
    expect(EVIDENCE_ACCESS.helpdeskIntake).toBe('store');
    expect(EVIDENCE_GRANTS.store.objects).toEqual(['s3:PutObject']);
    const statements = statementsOf(template, 'HelpdeskRole');
    const secret = statements.find((s) => list(s.Action).includes('secretsmanager:GetSecretValue'))!;
    expect(list(secret.Action)).toEqual(['secretsmanager:GetSecretValue']);
    expect(JSON.stringify(secret.Resource)).toMatch(/^\{"Ref":"ChannelsHelpdeskSecrets/);
    expect(statements.some((s) => list(s.Action).includes('kms:Decrypt') && JSON.stringify(s.Condition).includes('secretsmanager.eu-west-2.amazonaws.com'))).toBe(true);
    const actions = actionsOf(statements);
    expect(actions).toContain('s3:PutObject');
    expect(actions.filter((a) => /^s3:(Get|Delete)/.test(a) || a === 's3:*')).toEqual([]);
  });

  it('lets the email intake read raw messages under inbound/ only, write evidence once, and dead-letters what it fails on', () => {
    const statements = statementsOf(template, 'EmailIntakeIntakeFunction');
    const reads = statements.filter((s) => list(s.Action).includes('s3:GetObject'));
    expect(reads).toHaveLength(1);
    expect(JSON.stringify(reads[0]!.Resource)).toContain(`complaints-inbound-mail-`);
    expect(JSON.stringify(reads[0]!.Resource)).toContain(`/${INBOUND_MAIL_PREFIX}*`);
    expect(actionsOf(statements).filter((a) => /^s3:Delete|^s3:\*$|^secretsmanager:/.test(a))).toEqual([]);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['aws.s3'], 'detail-type': ['Object Created'], detail: { bucket: { name: [Match.anyValue()] }, object: { key: [{ prefix: INBOUND_MAIL_PREFIX }] } } },
      Targets: [Match.objectLike({ RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 } })],
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { DestinationConfig: { OnFailure: { Destination: Match.anyValue() } } });
    expect(email.functions.has(INBOUND_EMAIL_ENTRY)).toBe(true);
    expect(stack.resolve(email.intake.function.timeout?.toSeconds())).toBe(120);
  });
});
