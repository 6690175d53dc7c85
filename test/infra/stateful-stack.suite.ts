// Stateful stack: tables built from the single-table model, key, user pool with the API's roles and machine scope.
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CASE_INDEX_STEPS, TABLES, type KeyAttr, type TableDef } from '#adapters/aws/dynamo/table-model';
import { Key } from 'aws-cdk-lib/aws-kms';
import { CaseTable } from '../../infra/constructs/case-table';
import { INTAKE_SCOPE, ROLES } from '#schemas/common';
import { sharedApp } from '../support/infra-app';

// Skip esbuild: these tests read templates, not bundles (`npx cdk synth` bundles for real).
const { stateful, api } = sharedApp();
const template = Template.fromStack(stateful);

type Resource = { Properties: Record<string, unknown>; DeletionPolicy?: string };
const ofType = (type: string) => Object.entries(template.findResources(type) as Record<string, Resource>);

const keySchema = (def: { partitionKey: KeyAttr; sortKey?: KeyAttr }) => [
  { AttributeName: def.partitionKey.name, KeyType: 'HASH' },
  ...(def.sortKey ? [{ AttributeName: def.sortKey.name, KeyType: 'RANGE' }] : []),
];

const tableFor = (def: TableDef): Resource => {
  const found = ofType('AWS::DynamoDB::Table').filter(([, r]) => JSON.stringify(r.Properties.KeySchema) === JSON.stringify(keySchema(def)));
  expect(found).toHaveLength(1);
  return found[0]![1];
};

describe('the DynamoDB tables', () => {
  it('are exactly the tables of the model', () => {
    expect(ofType('AWS::DynamoDB::Table')).toHaveLength(Object.keys(TABLES).length);
  });

  it.each(Object.entries(TABLES))('builds the %s table key schema, GSIs and attribute types from TABLES', (_name, def: TableDef) => {
    const props = tableFor(def).Properties;
    const expectedGsis = def.indexes.map((i) => ({ IndexName: i.indexName, KeySchema: keySchema(i), Projection: i.include === undefined ? { ProjectionType: 'ALL' } : i.include.length ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...i.include] } : { ProjectionType: 'KEYS_ONLY' } }));
    expect(props.GlobalSecondaryIndexes ?? []).toEqual(expectedGsis);
    const attrs = [def.partitionKey, ...(def.sortKey ? [def.sortKey] : []), ...def.indexes.flatMap((i) => [i.partitionKey, i.sortKey])];
    expect(props.AttributeDefinitions).toEqual(expect.arrayContaining(attrs.map((a) => ({ AttributeName: a.name, AttributeType: a.type }))));
    expect(props.AttributeDefinitions).toHaveLength(new Set(attrs.map((a) => a.name)).size);
  });

  it.each(Object.entries(TABLES))('protects the %s table: on-demand, PITR, deletion protection, retained, TTL', (_name, def: TableDef) => {
    const table = tableFor(def);
    expect(table.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      TimeToLiveSpecification: { AttributeName: def.ttlAttribute, Enabled: true },
    });
    expect(table.DeletionPolicy).toBe('Retain');
  });

  it.each([0, 3, 5, 8])('builds the cases table at step %i of the index migration, and grants only the indexes the code reads', (step) => {
    const stack = new Stack();
    const built = new CaseTable(stack, 'Data', { encryptionKey: new Key(stack, 'K'), caseIndexStep: step });
    const gsis = (Template.fromStack(stack).findResources('AWS::DynamoDB::Table') as Record<string, Resource>)[stack.getLogicalId(built.cases.table.node.defaultChild as never)]!.Properties.GlobalSecondaryIndexes as { IndexName: string; Projection: { ProjectionType: string } }[];
    expect(gsis.map((g) => g.IndexName)).toEqual(CASE_INDEX_STEPS[step]!.map((i) => i.indexName));
    expect(built.cases.indexNames).toEqual(TABLES.cases.indexes.map((i) => i.indexName).filter((n) => gsis.some((g) => g.IndexName === n)));
  });

  it('streams NEW_AND_OLD_IMAGES from the cases table only', () => {
    expect(tableFor(TABLES.cases).Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(tableFor(TABLES.idempotency).Properties.StreamSpecification).toBeUndefined();
  });

  it('encrypts every table with the customer-managed key, which rotates and is retained', () => {
    // The other key is the exports' signing key (asymmetric; it encrypts nothing).
    const keys = ofType('AWS::KMS::Key').filter(([, k]) => k.Properties.KeySpec === undefined);
    expect(keys).toHaveLength(1);
    const [keyId, key] = keys[0]!;
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(key.DeletionPolicy).toBe('Retain');
    for (const [, table] of ofType('AWS::DynamoDB::Table')) {
      expect(table.Properties.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    }
  });
});

describe('the stacks', () => {
  it('protects the stateful stack from termination, and only that one', () => {
    expect(stateful.terminationProtection).toBe(true);
    expect(api.terminationProtection).toBe(false);
  });

  it('keeps every stateful resource in the stateful stack', () => {
    const apiTemplate = Template.fromStack(api);
    for (const type of [
      'AWS::DynamoDB::Table',
      'AWS::KMS::Key',
      'AWS::Cognito::UserPool',
      // Schedules live in the group and name the dead-letter queue; subscribers hang off the bus and the topic.
      'AWS::Scheduler::ScheduleGroup',
      'AWS::Events::EventBus',
      'AWS::SNS::Topic',
    ]) {
      apiTemplate.resourceCountIs(type, 0);
      expect(ofType(type).length).toBeGreaterThan(0);
    }
    // One queue is the exception, by design (#29): the dead-letter queue of the API stack's EventBridge→Lambda rules.
    // Its policy names those rules' ARNs (aws:SourceArn), so in the stateful stack it would close a dependency cycle;
    // it is retained on delete, and holds only copies of events a rule could not deliver.
    // The other is the retention fan-out's work queue (#29): it holds only batches of case ids the daily dispatch
    // derives again from the index, so losing it with the stack loses nothing; its dead letters are the stateful DLQ.
    const queues = apiTemplate.findResources('AWS::SQS::Queue');
    const kinds = Object.keys(queues).map((id) => [id.startsWith('EventTargetsDeadLetters') ? 'event-target-dlq' : id.startsWith('RetentionJobWorkQueue') ? 'retention-work' : id, queues[id]!.DeletionPolicy]);
    expect(kinds.sort()).toEqual([
      ['event-target-dlq', 'Retain'],
      ['retention-work', 'Delete'],
    ]);
    expect(ofType('AWS::SQS::Queue').length).toBeGreaterThan(0);
  });

  it('is environment-agnostic unless an account or region is configured, so synth needs no credentials', () => {
    expect(Stack.of(stateful).environment).toBe('aws://unknown-account/unknown-region');
  });
});

describe('the Cognito user pool', () => {
  it('has one group per API role', () => {
    const groups = ofType('AWS::Cognito::UserPoolGroup').map(([, r]) => r.Properties.GroupName);
    expect([...groups].sort()).toEqual([...ROLES].sort());
  });

  it('requires MFA, a strong password, admin-created accounts and the Plus tier with threat protection', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Policies: { PasswordPolicy: { MinimumLength: Match.anyValue(), RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true } },
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      DeletionProtection: 'ACTIVE',
    });
    const [, pool] = ofType('AWS::Cognito::UserPool')[0]!;
    expect((pool.Properties.Policies as { PasswordPolicy: { MinimumLength: number } }).PasswordPolicy.MinimumLength).toBeGreaterThanOrEqual(12);
  });

  it(`declares the machine scope ${INTAKE_SCOPE} on a resource server`, () => {
    const servers = ofType('AWS::Cognito::UserPoolResourceServer');
    expect(servers).toHaveLength(1);
    const props = servers[0]![1].Properties as { Identifier: string; Scopes: { ScopeName: string }[] };
    expect(props.Scopes.map((s) => `${props.Identifier}/${s.ScopeName}`)).toEqual([INTAKE_SCOPE]);
  });

  it(`gives the machine client client-credentials with ${INTAKE_SCOPE} only, and a secret`, () => {
    const [serverId, server] = ofType('AWS::Cognito::UserPoolResourceServer')[0]!;
    const machine = ofType('AWS::Cognito::UserPoolClient').filter(([, r]) => (r.Properties.AllowedOAuthFlows as string[] | undefined)?.includes('client_credentials'));
    expect(machine).toHaveLength(1);
    const props = machine[0]![1].Properties;
    expect(props.GenerateSecret).toBe(true);
    expect(props.AllowedOAuthFlows).toEqual(['client_credentials']);
    // The scope is `<Ref resource server>/intake`; the Ref resolves to the server's identifier.
    const scopes = (props.AllowedOAuthScopes as unknown[]).map((s) =>
      JSON.stringify(s) === JSON.stringify({ 'Fn::Join': ['', [{ Ref: serverId }, `/${INTAKE_SCOPE.split('/')[1]}`]] })
        ? `${String(server.Properties.Identifier)}/${INTAKE_SCOPE.split('/')[1]}`
        : s,
    );
    expect(scopes).toEqual([INTAKE_SCOPE]);
    expect(props.ExplicitAuthFlows).toEqual(['ALLOW_REFRESH_TOKEN_AUTH']);
  });

  it('gives staff a public client (no secret) with SRP and the authorization-code flow', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      ExplicitAuthFlows: Match.arrayWith(['ALLOW_USER_SRP_AUTH']),
    });
  });

  it('has a domain, so the client-credentials token endpoint exists', () => {
    template.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
    template.hasOutput('TokenUrl', {});
  });
});
