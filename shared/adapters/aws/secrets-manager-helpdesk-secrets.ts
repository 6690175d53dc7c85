// HelpdeskSecrets from one AWS Secrets Manager secret (JSON: provider → secret or [new, old]), cached for a short TTL
// so a rotation takes effect within minutes without a call per delivery.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { HelpdeskProvider } from '#schemas/channels';
import { HelpdeskSecretsDocument, secretList } from '#schemas/helpdesk-secrets';
import type { HelpdeskSecrets } from '#ports/helpdesk-secrets';
import { withoutSdkLogger } from '#adapters/aws/sdk-client';

export class SecretsManagerHelpdeskSecrets implements HelpdeskSecrets {
  private cached: { doc: HelpdeskSecretsDocument; until: number } | undefined;
  private readonly client: SecretsManagerClient;

  constructor(private readonly opts: { secretId: string; region: string; ttlMs?: number; now?: () => number }) {
    this.client = withoutSdkLogger(new SecretsManagerClient({ region: opts.region }));
  }

  private async document(): Promise<HelpdeskSecretsDocument> {
    const now = (this.opts.now ?? Date.now)();
    if (this.cached && this.cached.until > now) return this.cached.doc;
    const out = await this.client.send(new GetSecretValueCommand({ SecretId: this.opts.secretId }));
    // A malformed secret is an operator error: it fails every delivery (401) and the logs say why, never a partial read.
    const doc = HelpdeskSecretsDocument.parse(JSON.parse(out.SecretString ?? '{}'));
    this.cached = { doc, until: now + (this.opts.ttlMs ?? 300_000) };
    return doc;
  }

  async secretsFor(provider: HelpdeskProvider): Promise<string[]> {
    return secretList(await this.document(), provider);
  }
}
