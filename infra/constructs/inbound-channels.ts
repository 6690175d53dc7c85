// InboundChannels (stateful): the raw-mail bucket SES receiving writes to (KMS with the project key, TLS only,
// access-logged, EventBridge notifications on), the SES receipt rule set that stores each message there, the
// dead-letter queue of the email intake, and the Secrets Manager secret that signs helpdesk webhooks.
import { Aws, CfnRule, Duration, Fn, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, CfnBucket, ObjectOwnership, type IBucket } from 'aws-cdk-lib/aws-s3';
import { ReceiptRuleSet, TlsPolicy } from 'aws-cdk-lib/aws-ses';
import { S3 as S3Action } from 'aws-cdk-lib/aws-ses-actions';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { DeadLetterQueue } from './dead-letter-queue';

/**
 * Regions where SES receives email AND may write to an S3 bucket: the AWS General Reference's "Email receiving
 * endpoints" table (https://docs.aws.amazon.com/general/latest/gr/ses.html, as copied in January 2024), without
 * Asia Pacific (Jakarta), an opt-in region, where SES cannot deliver to S3. AWS adds regions: the
 * `complaints:sesReceivingRegions` context setting replaces this list.
 */
export const SES_RECEIVING_REGIONS: readonly string[] = [
  'us-east-1',
  'us-east-2',
  'us-west-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-northeast-1',
  'ca-central-1',
  'eu-central-1',
  'eu-west-1',
  'eu-west-2',
];

/** The message a deployment with email intake in a region without SES receiving fails with (at synth, or at deploy if the region is only known then). */
export const emailRegionMessage = (region: string, regions: readonly string[]) =>
  `complaints:emailIntake is on, but SES cannot receive email into S3 in ${region} (it can in ${regions.join(', ')}). ` +
  'Deploy with -c complaints:emailIntake=false (helpdesk webhooks and the API still take complaints), or deploy to one of those regions ' +
  '(or list your region in complaints:sesReceivingRegions once AWS supports it).';

/** The prefix SES writes raw messages under; the intake rule matches only these keys. */
export const INBOUND_MAIL_PREFIX = 'inbound/';

/** `<prefix>-inbound-mail-<account>-<region>`: a known name, so the API stack's grants and rule name it without a cross-stack reference. */
export const inboundMailNames = (namePrefix: string) => {
  const bucketName = `${namePrefix}-inbound-mail-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
  return { bucketName, mailObjectsArn: `arn:${Aws.PARTITION}:s3:::${bucketName}/${INBOUND_MAIL_PREFIX}*` };
};

export interface InboundChannelStore {
  readonly mailBucketName: string;
  /** `arn:…:s3:::<bucket>/inbound/*`: the raw messages, the only objects the intake reads. */
  readonly mailObjectsArn: string;
  readonly encryptionKey: IKey;
  /** JSON: provider → secret (or [new, old] during a rotation). */
  readonly helpdeskSecret: Secret;
  /** Object Created events the email intake kept failing on. */
  readonly mailDeadLetters: DeadLetterQueue;
  /** Whether SES receives email into the raw-mail bucket (complaints:emailIntake): without it no email intake is built. */
  readonly emailReceiving: boolean;
}

export interface InboundChannelsProps {
  namePrefix: string;
  encryptionKey: IKey;
  accessLogs: IBucket;
  /** Addresses or domains SES accepts for the complaints inbox (e.g. complaints@example.com, example.com). */
  recipients: string[];
  /** How long raw messages are kept: accepted ones are also in the evidence vault as message.eml; refused ones are reviewed from here. */
  rawMailRetentionDays: number;
  /**
   * SES receiving on (the receipt rule set, SES's use of the key): only in a region where SES receives email
   * (infra/app.ts checks). Off, the raw-mail bucket stays (rejections already stored remain replayable) and nothing writes to it.
   */
  emailReceiving: boolean;
  /** Where SES receiving may be deployed (default SES_RECEIVING_REGIONS). */
  receivingRegions?: readonly string[];
}

export class InboundChannels extends Construct implements InboundChannelStore {
  readonly mailBucket: Bucket;
  readonly mailBucketName: string;
  readonly mailObjectsArn: string;
  readonly encryptionKey: IKey;
  readonly helpdeskSecret: Secret;
  readonly mailDeadLetters: DeadLetterQueue;
  readonly emailReceiving: boolean;
  /** The SES receipt rule set, when email receiving is on. */
  readonly ruleSet?: ReceiptRuleSet;

  constructor(scope: Construct, id: string, props: InboundChannelsProps) {
    super(scope, id);
    this.encryptionKey = props.encryptionKey;
    this.emailReceiving = props.emailReceiving;
    const names = inboundMailNames(props.namePrefix);
    this.mailBucketName = names.bucketName;
    this.mailObjectsArn = names.mailObjectsArn;

    this.mailBucket = new Bucket(this, 'RawMail', {
      bucketName: names.bucketName,
      encryption: BucketEncryption.KMS,
      encryptionKey: props.encryptionKey,
      bucketKeyEnabled: true,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'inbound-mail/',
      lifecycleRules: [{ expiration: Duration.days(props.rawMailRetentionDays), noncurrentVersionExpiration: Duration.days(1) }],
      // A fixed name: removed if the stack's first create rolls back (empty then), so a retry can recreate it.
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    // Object Created events on the default bus, set on the bucket itself: `eventBridgeEnabled` would add a
    // notification custom resource (a Lambda with a managed policy) for what is one bucket property.
    (this.mailBucket.node.defaultChild as CfnBucket).notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };

    this.mailDeadLetters = new DeadLetterQueue(this, 'MailDeadLetters', { holds: 'inbound-mail Object Created events the email intake failed on after every retry', encryptionKey: props.encryptionKey });
    if (props.emailReceiving) this.ruleSet = this.receiveEmail(props, `${props.namePrefix}-inbound`);

    this.helpdeskSecret = new Secret(this, 'HelpdeskSecrets', {
      description: 'Complaints: helpdesk webhook signing secrets, JSON {"zendesk": "...", "jira": "...", "servicenow": "...", "generic": "..."} (a list [new, old] while rotating)',
      encryptionKey: props.encryptionKey,
      // A generated value for the generic shape; the helpdesks' own secrets are set by the operator (README).
      generateSecretString: { secretStringTemplate: '{}', generateStringKey: 'generic', passwordLength: 48, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.helpdeskSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The secrets are shared with each helpdesk, which signs its webhooks with them (Zendesk generates its own): an automatic rotation here would break every delivery until the helpdesk is changed too. Rotation is coordinated by hand with a [new, old] list, which the intake accepts during the change-over.',
    });
  }

  /** The SES receipt rule set (and SES's use of the key through S3) that stores each accepted message under inbound/. */
  private receiveEmail(props: InboundChannelsProps, ruleSetName: string): ReceiptRuleSet {
    const regions = props.receivingRegions ?? SES_RECEIVING_REGIONS;
    const region = Stack.of(this).region;
    if (!Token.isUnresolved(region)) {
      if (!regions.includes(region)) throw new Error(emailRegionMessage(region, regions));
    } else {
      // An environment-agnostic stack learns its region at deploy: a template rule refuses the change set before any
      // resource is created, with the same message, instead of failing halfway on the rule set.
      new CfnRule(this, 'EmailReceivingRegion', {
        assertions: [{ assert: Fn.conditionContains([...regions], Aws.REGION), assertDescription: emailRegionMessage('this region', regions) }],
      });
    }
    // SES encrypts nothing itself here: the bucket's default SSE-KMS applies to its PutObject, so SES needs the key
    // through S3, for this account's receipt rules only.
    props.encryptionKey.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('ses.amazonaws.com')],
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID, 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com` },
        },
      }),
    );
    return new ReceiptRuleSet(this, 'RuleSet', {
      receiptRuleSetName: ruleSetName,
      rules: [
        {
          receiptRuleName: 'complaints-inbox',
          recipients: props.recipients,
          // Spam and virus scanning on: SES then prepends X-SES-Virus-Verdict and X-SES-Spam-Verdict, which the
          // sender check needs (without them every message is unverified, #domain/mail-auth). Only TLS delivery.
          scanEnabled: true,
          tlsPolicy: TlsPolicy.REQUIRE,
          // The action adds the bucket policy that lets SES (this account, this rule set) put objects.
          actions: [new S3Action({ bucket: this.mailBucket, objectKeyPrefix: INBOUND_MAIL_PREFIX })],
        },
      ],
    });
  }
}
