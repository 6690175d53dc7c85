// The shape of the helpdesk secrets document (the Secrets Manager secret's JSON, or .data/helpdesk-secrets.json locally).
import * as z from 'zod';
import { HelpdeskProvider } from './channels';

/** A provider's secret, or several while a rotation is under way (the newest first); at least 16 characters. */
const Secret = /* @__PURE__ */ z.string().min(16).max(512);
export const HelpdeskSecretsDocument = /* @__PURE__ */ z.partialRecord(HelpdeskProvider, /* @__PURE__ */ z.union([Secret, /* @__PURE__ */ z.array(Secret).min(1).max(5)]));
export type HelpdeskSecretsDocument = z.infer<typeof HelpdeskSecretsDocument>;

export const secretList = (doc: HelpdeskSecretsDocument, provider: HelpdeskProvider): string[] => {
  const v = doc[provider];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
};
