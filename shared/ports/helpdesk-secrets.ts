// Where the helpdesk signing secrets come from: AWS Secrets Manager in AWS, a file under .data/ locally.
import type { HelpdeskProvider } from '#schemas/channels';

export interface HelpdeskSecrets {
  /** Every secret currently valid for the provider (more than one while a rotation is under way); empty when none is set. */
  secretsFor(provider: HelpdeskProvider): Promise<string[]>;
}
