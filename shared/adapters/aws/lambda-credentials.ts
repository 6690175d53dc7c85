// The credential chain of a deployed function. Lambda hands a function its role's credentials in environment variables
// (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), the first link of the SDK's default chain. The rest of
// that chain (SSO, profiles and their STS/SSO clients, processes, web identity, container and instance metadata) can
// never answer there, yet every client's runtime configuration imports it: about 130 KB of every bundle. The function
// bundling aliases `@aws-sdk/credential-provider-node` to this module (infra/constructs/lambda-bundling.ts), with the
// same exports, so every client of a deployed function reads its credentials from the environment and nothing else.
// Local mode and tests run the sources unbundled and keep the SDK's whole chain.
import { fromEnv, type FromEnvInit } from '@aws-sdk/credential-provider-env';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

/** The SDK's `defaultProvider`, reduced to its environment link (it rejects, as the chain's end does, when unset). */
export const defaultProvider = (init: FromEnvInit = {}): AwsCredentialIdentityProvider => fromEnv(init);

/** As the SDK's: credentials with an expiry are refreshed before it. */
export const credentialsWillNeedRefresh = (credentials?: AwsCredentialIdentity): boolean => credentials?.expiration !== undefined;

/** As the SDK's: credentials within five minutes of their expiry count as expired. */
export const credentialsTreatedAsExpired = (credentials?: AwsCredentialIdentity): boolean =>
  credentials?.expiration !== undefined && credentials.expiration.getTime() - Date.now() < 300_000;
