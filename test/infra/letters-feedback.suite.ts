// Letters and feedback links in CDK (standalone, as the stacks wire them): the signing secret encrypted with the
// project key and acknowledged for rotation; a function that signs links may read that secret only (the key only
// through Secrets Manager); a function that keeps sent letters may put case objects (never read or delete them);
// letters render from templates precompiled into the bundle (no template files in an asset); the public feedback route
// is throttled below the stage default.
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { ROUTES } from '#http/routes';
import { ApiFunction, EVIDENCE_GRANTS } from '../../infra/constructs/api-function';
import { EVIDENCE_ACCESS, FEEDBACK_SIGNING_ROUTES } from '../../infra/constructs/api';
import { EncryptionKey } from '../../infra/constructs/encryption-key';
import { FeedbackLinks } from '../../infra/constructs/feedback-links';
import type { EvidenceStore } from '../../infra/constructs/evidence-vault';

type Statement = { Action: string | string[]; Resource: unknown; Condition?: Record<string, Record<string, unknown>> };
const list = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);
const COMMON = { environment: {}, serviceName: 'complaints', metricsNamespace: 'Complaints', logRetention: RetentionDays.ONE_YEAR };

const build = () => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Test', { env: { account: '111111111111', region: 'eu-west-2' } });
  const key = new EncryptionKey(stack, 'Key', { description: 'test' });
  const links = new FeedbackLinks(stack, 'FeedbackLinks', { encryptionKey: key.key });
  const signer = new ApiFunction(stack, 'Signer', { ...COMMON, entry: 'functions/submit-feedback/handler.ts', description: 'test' }).signFeedbackLinks(links);
  const evidence = { bucketName: 'test-evidence', bucketArn: 'arn:aws:s3:::test-evidence', caseObjectsArn: 'arn:aws:s3:::test-evidence/cases/*', encryptionKey: key.key } as unknown as EvidenceStore;
  const writer = new ApiFunction(stack, 'Writer', { ...COMMON, entry: 'functions/record-acknowledgement/handler.ts', description: 'test' }).allowEvidence(evidence, 'letter');
  return { stack, links, signer, writer, template: Template.fromStack(stack) };
};

const statementsOf = (template: Template, roleLogicalIdPrefix: string): Statement[] =>
  Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify((p as { Properties: { Roles: unknown } }).Properties.Roles).includes(roleLogicalIdPrefix))
    .flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement);

describe('feedback links and letters in CDK', () => {
  const { template } = build();

  it('keeps the signing key in a generated secret under the project key, retained, rotation acknowledged', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', { KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] }, GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true } });
    template.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Retain' });
  });

  it('lets a link-signing function read that secret only, and the key only through Secrets Manager', () => {
    const s = statementsOf(template, 'SignerRole');
    const secretRead = s.filter((x) => list(x.Action).includes('secretsmanager:GetSecretValue'));
    expect(secretRead).toHaveLength(1);
    expect(JSON.stringify(secretRead[0]!.Resource)).toContain('FeedbackLinksSigningKey');
    const decrypt = s.find((x) => list(x.Action).includes('kms:Decrypt'))!;
    expect(decrypt.Condition).toEqual({ StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-2.amazonaws.com' } });
    expect(s.flatMap((x) => list(x.Action)).sort()).toEqual(['kms:Decrypt', 'logs:CreateLogStream', 'logs:PutLogEvents', 'secretsmanager:GetSecretValue', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments'].sort());
  });

  it('lets a letter-keeping function put case objects (with legal hold), never read or delete them', () => {
    const s = statementsOf(template, 'WriterRole');
    const actions = s.flatMap((x) => list(x.Action));
    expect(actions).toEqual(expect.arrayContaining(['s3:PutObject', 's3:PutObjectLegalHold', 'kms:GenerateDataKey']));
    expect(actions.filter((a) => /^s3:(Get|Delete)/.test(a))).toEqual([]);
    expect(EVIDENCE_GRANTS.letter.objects).toEqual(['s3:PutObject', 's3:PutObjectLegalHold']);
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: { EVIDENCE_BUCKET: 'test-evidence' } } });
  });

  it('wires the routes: letters kept by the acknowledgement and final response, the link verified by the feedback route, which is throttled', () => {
    expect(EVIDENCE_ACCESS.recordAcknowledgement).toBe('letter');
    expect(EVIDENCE_ACCESS.sendFinalResponse).toBe('letter');
    expect([...FEEDBACK_SIGNING_ROUTES]).toEqual(['submitFeedback']);
    expect(ROUTES.submitFeedback.auth).toEqual({ kind: 'public' });
    expect(ROUTES.submitFeedback.throttle).toEqual({ rateLimit: 5, burstLimit: 10 });
  });
});
