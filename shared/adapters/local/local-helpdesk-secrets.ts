// HelpdeskSecrets for the embedded stack: .data/helpdesk-secrets.json (created with random secrets on first start).
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { HELPDESK_PROVIDERS, type HelpdeskProvider } from '#schemas/channels';
import { HelpdeskSecretsDocument, secretList } from '#schemas/helpdesk-secrets';
import type { HelpdeskSecrets } from '#ports/helpdesk-secrets';

/** Writes a file with one random secret per provider unless it exists; returns the document in it. */
export const ensureHelpdeskSecretsFile = (file: string): HelpdeskSecretsDocument => {
  if (!existsSync(file)) {
    const doc = Object.fromEntries(HELPDESK_PROVIDERS.map((p) => [p, randomBytes(24).toString('base64url')]));
    writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`, { mode: 0o600 });
  }
  return HelpdeskSecretsDocument.parse(JSON.parse(readFileSync(file, 'utf8')));
};

export class LocalHelpdeskSecrets implements HelpdeskSecrets {
  constructor(private readonly file: string) {}

  // Read on every call: editing the file (a rotation) takes effect at once, and locally a read costs nothing.
  async secretsFor(provider: HelpdeskProvider): Promise<string[]> {
    if (!existsSync(this.file)) return [];
    return secretList(HelpdeskSecretsDocument.parse(JSON.parse(readFileSync(this.file, 'utf8'))), provider);
  }
}
