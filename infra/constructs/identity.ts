// Identity: the Cognito user pool (one group per role), the `complaints/intake` machine scope and the app clients.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  OAuthScope,
  ResourceServerScope,
  StandardThreatProtectionMode,
  UserPool,
  UserPoolClient,
  UserPoolGroup,
  type IUserPool,
  type IUserPoolClient,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { INTAKE_SCOPE, ROLES } from '#schemas/common';

export interface IdentityProps {
  /** Hosted-domain prefix for the token endpoint (`https://<prefix>.auth.<region>.amazoncognito.com`); unique per region. */
  domainPrefix: string;
  /** Where the hosted sign-in may send a user back to (authorization-code flow with PKCE). */
  callbackUrls: string[];
  /** The staff console's origin (https://<distribution domain>): gets its own Hosted UI client when set. */
  consoleOrigin?: string;
}

/** `complaints/intake` → resource server `complaints`, scope `intake`: the API's one machine scope. */
const [RESOURCE_SERVER_ID, INTAKE_SCOPE_NAME] = INTAKE_SCOPE.split('/') as [string, string];

export class Identity extends Construct {
  readonly userPool: IUserPool;
  /** Confidential client for helpdesk / web-form integrations: client credentials, `complaints/intake` only. */
  readonly machineClient: IUserPoolClient;
  /** Public client for staff (SRP or hosted sign-in); their groups become roles. */
  readonly userClient: IUserPoolClient;
  readonly domain: UserPoolDomain;
  /** Public client of the staff console: Hosted UI, authorization code + PKCE, callback and logout only on the console's URL. */
  readonly consoleClient?: IUserPoolClient;
  /** Every client whose tokens the API accepts. */
  readonly clients: IUserPoolClient[];

  constructor(scope: Construct, id: string, props: IdentityProps) {
    super(scope, id);

    const pool = new UserPool(this, 'UserPool', {
      // Staff accounts are created by an administrator, never by sign-up.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // Staff read complainants' personal and financial data: a second factor is mandatory. TOTP only,
      // so no SMS role or spend is needed.
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      // Plus tier: threat protection blocks compromised-credential and risky sign-ins.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.userPool = pool;

    for (const role of ROLES) {
      new UserPoolGroup(this, `Group-${role}`, { userPool: pool, groupName: role, description: `Complaints API role "${role}"` });
    }

    const intake = new ResourceServerScope({ scopeName: INTAKE_SCOPE_NAME, scopeDescription: 'Open complaints on behalf of a channel (helpdesk, web form)' });
    const server = pool.addResourceServer('ComplaintsResourceServer', {
      identifier: RESOURCE_SERVER_ID,
      userPoolResourceServerName: 'Complaints API',
      scopes: [intake],
    });

    // The client-credentials flow is served by the pool's domain (`/oauth2/token`).
    this.domain = pool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: props.domainPrefix },
    });

    this.machineClient = new UserPoolClient(this, 'MachineClient', {
      userPool: pool,
      userPoolClientName: 'complaints-machine',
      generateSecret: true,
      // Only the refresh-token flow stays on; no user can sign in through a machine client.
      authFlows: { userSrp: false, userPassword: false, adminUserPassword: false, custom: false },
      oAuth: { flows: { clientCredentials: true }, scopes: [OAuthScope.resourceServer(server, intake)] },
      accessTokenValidity: Duration.hours(1),
      enableTokenRevocation: true,
      preventUserExistenceErrors: true,
    });

    this.userClient = new UserPoolClient(this, 'UserClient', {
      userPool: pool,
      userPoolClientName: 'complaints-staff',
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: props.callbackUrls,
      },
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      enableTokenRevocation: true,
      preventUserExistenceErrors: true,
    });

    if (props.consoleOrigin) {
      const consoleUrl = `${props.consoleOrigin}/console/`;
      this.consoleClient = new UserPoolClient(this, 'ConsoleClient', {
        userPool: pool,
        userPoolClientName: 'complaints-console',
        // A browser app cannot keep a secret: PKCE protects the code exchange instead (oidc-client-ts always sends it).
        generateSecret: false,
        authFlows: { userSrp: false, userPassword: false, adminUserPassword: false, custom: false },
        oAuth: {
          flows: { authorizationCodeGrant: true, implicitCodeGrant: false },
          scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
          callbackUrls: [consoleUrl],
          logoutUrls: [consoleUrl],
        },
        accessTokenValidity: Duration.hours(1),
        idTokenValidity: Duration.hours(1),
        refreshTokenValidity: Duration.hours(12),
        enableTokenRevocation: true,
        preventUserExistenceErrors: true,
      });
    }

    this.clients = [this.userClient, this.machineClient, ...(this.consoleClient ? [this.consoleClient] : [])];
  }
}
