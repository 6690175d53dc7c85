// Composition root for subscriber webhooks (the admin routes and the delivery function): the table store, the secret
// cipher (KMS in AWS, a local key file under npm start) and the HTTP sender (SSRF guard; loopback allowed only locally).
import { KMSClient } from '@aws-sdk/client-kms';
import { WebhookService } from '#domain/webhook-service';
import type { SecretCipher } from '#ports/secret-cipher';
import { DynamoWebhookStore } from '#adapters/aws/dynamo/webhook-store';
import { KmsSecretCipher } from '#adapters/aws/kms-secret-cipher';
import { LocalSecretCipher } from '#adapters/local/local-secret-cipher';
import { HttpWebhookSender } from '#adapters/webhook/http-sender';
import { config, requireSetting } from './config';
import { clock, dynamo, ulidIds } from './container';
import { withoutSdkLogger } from '#adapters/aws/sdk-client';

let service: WebhookService | undefined;
let cipher: SecretCipher | undefined;

const buildCipher = (): SecretCipher => {
  const cfg = config();
  if (cfg.INTEGRATIONS === 'local' && !cfg.WEBHOOK_SECRET_KEY_ARN) return new LocalSecretCipher(requireSetting('WEBHOOK_SECRET_KEY_FILE'));
  return new KmsSecretCipher(withoutSdkLogger(new KMSClient({ region: cfg.AWS_REGION })), requireSetting('WEBHOOK_SECRET_KEY_ARN'));
};

/** Built on first use: the list and delivery-history routes never touch the key. */
const lazyCipher: SecretCipher = {
  encrypt: (plaintext, context) => (cipher ??= buildCipher()).encrypt(plaintext, context),
  decrypt: (ciphertext, context) => (cipher ??= buildCipher()).decrypt(ciphertext, context),
};

export const webhookService = (): WebhookService => {
  if (!service) {
    const cfg = config();
    const local = cfg.INTEGRATIONS === 'local';
    const c = clock();
    service = new WebhookService({
      store: new DynamoWebhookStore(dynamo().doc, { tableName: requireSetting('TABLE_NAME') }),
      cipher: lazyCipher,
      // A delivery may reach public unicast addresses only (checked at connect time); local mode allows loopback too.
      sender: new HttpWebhookSender({ allowLoopback: local }),
      clock: c,
      ids: ulidIds(c),
      urlRules: { allowLoopback: local },
      maxAttempts: cfg.WEBHOOK_MAX_ATTEMPTS,
      backoff: { baseMs: cfg.WEBHOOK_BACKOFF_BASE_SECONDS * 1000, capMs: cfg.WEBHOOK_BACKOFF_CAP_SECONDS * 1000 },
      timeoutMs: cfg.WEBHOOK_TIMEOUT_MS,
    });
  }
  return service;
};
