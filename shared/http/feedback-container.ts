// Composition root of the customer feedback: the feedback-link signer (Secrets Manager in AWS, a key file under npm
// start) and the attempt counter. Apart from the letters (no Handlebars here); the links are sent by the case timers
// (letters-container.ts: fireCaseTimer), which provide the notifier, so the public feedback route bundles no SNS,
// Scheduler or EventBridge client.
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { FeedbackService } from '#domain/feedback-service';
import type { TokenSigner } from '#ports/feedback-links';
import type { Notifier } from '#ports/notifier';
import { HmacTokenSigner } from '#adapters/hmac-token-signer';
import { secretsManagerKey } from '#adapters/aws/secrets-manager-key';
import { localKeyFile } from '#adapters/local/local-key-file';
import { DynamoFeedbackAttempts } from '#adapters/aws/dynamo/feedback-attempts';
import { withoutSdkLogger } from '#adapters/aws/sdk-client';
import { config, requireSetting } from './config';
import { caseRepository, clock, dynamo } from './container';
import { provided } from './provided';

let feedback: FeedbackService | undefined;

/** Where links are sent: the deadline notifier, provided by the functions that fire case timers. */
export const linkNotifier = provided<Notifier>('the feedback-link notifier', 'the checkpoint and case-stream functions (fireCaseTimer)');

const tokenSigner = (): TokenSigner => {
  const cfg = config();
  if (cfg.FEEDBACK_SIGNING_SECRET_ARN) return new HmacTokenSigner(secretsManagerKey(withoutSdkLogger(new SecretsManagerClient({ region: cfg.AWS_REGION })), cfg.FEEDBACK_SIGNING_SECRET_ARN));
  return new HmacTokenSigner(localKeyFile(requireSetting('FEEDBACK_SIGNING_KEY_FILE')));
};

/** The public feedback route never notifies; the checkpoint function sends links through the deadline notifier (SNS, or the local outbox). */
export const feedbackService = (): FeedbackService => {
  if (!feedback) {
    const cfg = config();
    feedback = new FeedbackService({
      repo: caseRepository(),
      clock: clock(),
      signer: tokenSigner(),
      attempts: new DynamoFeedbackAttempts(dynamo().doc, requireSetting('TABLE_NAME')),
      notifier: () => linkNotifier.get(),
      maxAttempts: cfg.FEEDBACK_MAX_ATTEMPTS,
      linkFor: (token) => cfg.FEEDBACK_LINK_TEMPLATE.replace('{token}', encodeURIComponent(token)),
    });
  }
  return feedback;
};
