// Request fixtures the route-table suites share (access matrix, conformance): a signed helpdesk delivery, a customer's
// feedback link as the follow-up timer leaves it, and the bodies of a release request and a resolution proposal.
import { readFileSync } from 'node:fs';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { sign } from '#domain/helpdesk';
import { encodeClaims } from '#domain/feedback';
import { HmacTokenSigner } from '#adapters/hmac-token-signer';
import { localKeyFile } from '#adapters/local/local-key-file';
import { keys } from '#adapters/aws/dynamo/table-model';
import { caseOfItem, itemWithCase } from '#adapters/aws/dynamo/case-codec';
import type { Case } from '#schemas/complaint';
import { localClock, type TestApi } from './api';
import { rawDocClient } from './dynamo';

/** The headers of a generic-helpdesk delivery of `rawBody`, signed now (local clock) with the stack's secrets file. */
export const helpdeskSignature = (api: TestApi, rawBody: string): Record<string, string> => {
  const timestamp = String(Math.floor(localClock.nowMs() / 1000));
  const secret = (JSON.parse(readFileSync(api.stack.helpdeskSecretsFile, 'utf8')) as Record<string, string>).generic!;
  return { 'x-complaints-timestamp': timestamp, 'x-complaints-signature': sign('generic', secret, timestamp, rawBody) };
};

/**
 * Changes fields of a stored case directly (as a timer would leave them), through the case item's codec: read, change,
 * put back at the same version (the item is stored compressed, so no update expression reaches into it).
 */
export const patchStoredCase = async (table: string, caseId: string, patch: (c: Case) => Case): Promise<void> => {
  const doc = rawDocClient();
  const item = (await doc.send(new GetCommand({ TableName: table, Key: keys.case(caseId), ConsistentRead: true }))).Item;
  if (!item) throw new Error(`no case ${caseId}`);
  await doc.send(new PutCommand({ TableName: table, Item: itemWithCase(item, patch(caseOfItem(item))), ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': item.version } }));
};

/**
 * A customer's signed single-use feedback link for a case: the follow-up arranged on the stored case item as the
 * follow-up timer leaves it (the flow itself is test/api/letters-feedback.test.ts), signed with the local stack's key.
 */
export const feedbackLinkToken = async (api: TestApi, caseId: string): Promise<string> => {
  const now = await api.now();
  const expiresAt = new Date(Date.parse(now) + 30 * 86_400_000).toISOString();
  await patchStoredCase(api.tables.cases, caseId, (c) => ({ ...c, feedback: [{ cycle: 1, followUpAt: now, linkValidDays: 30, requestedAt: now, tokenId: 'c1', expiresAt }] }));
  const signed = encodeClaims({ caseId, tokenId: 'c1', expiresAt });
  return `${signed}.${await new HmacTokenSigner(localKeyFile(process.env.FEEDBACK_SIGNING_KEY_FILE!)).sign(signed)}`;
};

/** A valid release request for legal discovery (requested by one person, decided by legal and compliance). */
export const releaseRequestBody = (reference = 'Claim HC-2026-000123', reason = 'Disclosure order of 1 December 2026') => ({
  basis: 'legal_discovery',
  recipient: { name: 'Pat Counsel', organisation: 'Counsel LLP', email: 'pat@counsel.example' },
  reference,
  reason,
});

/** An upheld resolution with a goodwill payment of `amount` GBP (above the supervisor threshold it opens an approval stage). */
export const resolutionBody = (amount: string, finalResponse = `We uphold your complaint and will pay £${amount}.`) => ({
  decision: 'upheld' as const,
  remedy: { compensation: { amount, currency: 'GBP' }, description: 'Goodwill payment' },
  rootCause: { category: 'capacity', description: 'Depot overbooked slots' },
  finalResponse,
});
