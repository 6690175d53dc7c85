// How the case item stores its case (issue 28: "keep the item that every change rewrites small"). Every change
// rewrites the case item, and the three list indexes project it whole (ALL), so each byte of it is written four times
// a change. The `case` attribute is therefore stored as one Binary value: a format byte, then the case's JSON
// deflated with a preset dictionary (Node's built-in zlib; no dependency). The few case fields that DynamoDB
// expressions need (list filters, the deadline board's projection) are written beside it as small top-level
// attributes (CASE_FIELD_ATTRS).
//
// One source of truth: every reader of a stored case item or of a stream image goes through decodeStoredCase /
// caseOfItem, every writer through storedCaseAttributes / itemWithCase. Readers accept the old form too (the case as
// a DynamoDB map, as items written before this module held it), so a table can be migrated while it serves
// (`npm run migrate`, docs/deploy.md); writers write only the new form.
//
// Chosen by the numbers (bench/writes.ts, `caseEncodings`; the lifecycle's closed case, 3,275 B of JSON): gzip 1,353 B,
// deflate 1,335 B, brotli 5 1,260 B (~0.3 ms to encode), brotli 9 1,259 B, brotli 11 1,085 B (~14 ms to encode: too
// slow for a request), every key shortened then brotli 9 966 B, deflate with this dictionary ~700 B (~0.1 ms). Node
// 20's brotli takes no custom dictionary; deflate does. With random text in every free-text field the dictionary
// still gives ~895 B against brotli's ~1,540 B: it holds keys and enum values, no case's text.
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Case } from '#schemas/complaint';

/** The case item's attribute that holds the case. */
export const CASE_ATTR = 'case';

/**
 * The first byte of the stored Binary: what follows and how to read it. 1: the case's UTF-8 JSON, raw deflate with
 * CASE_DICTIONARY_1 as its preset dictionary. A later encoding (a new dictionary) takes the next number; readers keep
 * every number ever written, and a dictionary, once written with, never changes (test/unit/case-codec.test.ts pins it).
 */
export const CASE_FORMAT = { deflateDictionary1: 1 } as const;

/**
 * The preset dictionary of format 1: the shape of a closed case after a whole lifecycle (every key in the order the
 * domain writes them, enum values of the usual path), with no value of any case: ids, names, dates and text blanked.
 * Deflate finds the case's keys and common values in it instead of spelling them out.
 */
export const CASE_DICTIONARY_1 =
  '{"id":"","reference":"","status":"closed","ownerId":"","handoffs":[{"from":"","to":"","by":"","at":"","reason"' +
  ':""}],"handoffCount":0,"regime":"UK_FCA_DISP","receivedAt":"","finalResponseDueAt":"","checkpoints":[{"percent' +
  '":0,"at":""}],"acknowledgementDueAt":"","clock":{"receiptDate":"","startsAt":"","basis":"calendar_time","clock' +
  'Id":"final_response","amount":0,"unit":"weeks","timeZone":"Europe/London","calendar":"GB-ENG","summaryResoluti' +
  'onEndsAt":""},"cycles":[{"n":0,"startedAt":"","dueAt":"","acknowledgementDueAt":"","summaryResolutionEndsAt":"' +
  '","acknowledgedAt":"","stoppedAt":"","reason":"final_response","respondedAt":"","decision":"upheld","compensat' +
  'ion":{"amount":"","currency":"GBP"},"closedAt":""}],"risk":"on_track","escalations":[],"category":"service_del' +
  'ay","severity":"medium","vulnerable":false,"sensitivity":"standard","legalExposure":false,"reputationalRisk":f' +
  'alse,"customer":{"id":"","name":"","email":"","vulnerable":false},"channel":"web","summary":"","description":"' +
  '","product":"","allegedLoss":{"amount":"","currency":"GBP"},"legalHold":false,"reopenCount":0,"openTaskCount":' +
  '0,"version":0,"createdBy":"","createdAt":"","updatedAt":"","regulatory":false,"triage":{"modelId":"","modelVer' +
  'sion":"","at":"","latencyMs":0,"threshold":0,"status":"suggested","fields":{"category":{"value":"","confidence' +
  '":0,"applied":false},"severity":{"value":"","confidence":0,"applied":false},"regulatory":{"value":false,"confi' +
  'dence":0,"applied":false},"vulnerable":{"value":false,"confidence":0,"applied":false}},"vulnerabilityIndicator' +
  's":[],"sentiment":{"score":0,"confidence":0,"label":"negative"}},"priority":"high","priorityReasons":[""],"ack' +
  'nowledgedAt":"","evidenceCounts":{"pending":0,"verified":0,"rejected":0},"rootCause":{"category":"","descripti' +
  'on":""},"resolution":{"id":"","round":0,"status":"approved","decision":"upheld","stages":0,"approvedStages":0,' +
  '"proposedAt":"","decidedAt":""},"feedback":[{"cycle":0,"followUpAt":"","linkValidDays":0}],"followUpAction":""' +
  ',"closedAt":"","retainUntil":""}';
const dictionary1 = Buffer.from(CASE_DICTIONARY_1, 'utf8');

/**
 * Top-level copies of the case fields that DynamoDB expressions name (FilterExpressions of the case lists, the deadline
 * board's ProjectionExpression). The case inside the Binary stays the source of truth; these are rewritten with it.
 */
export const CASE_FIELD_ATTRS = { status: 'status', category: 'category', regime: 'regime', ownerId: 'ownerId' } as const satisfies Partial<Record<keyof Case, string>>;

export type StoredCaseForm = 'binary' | 'map' | 'missing';

/** The stored form of a case: the format byte and the deflated JSON. */
export const encodeCase = (c: Case): Uint8Array => {
  const body = deflateRawSync(Buffer.from(JSON.stringify(c), 'utf8'), { level: 9, dictionary: dictionary1 });
  const out = Buffer.allocUnsafe(body.length + 1);
  out[0] = CASE_FORMAT.deflateDictionary1;
  body.copy(out, 1);
  return out;
};

/** Which form a stored `case` value is in: the new Binary (a Uint8Array, or base64 in a Lambda stream event), the old map, or none. */
export const storedCaseForm = (stored: unknown): StoredCaseForm => {
  if (stored instanceof Uint8Array || typeof stored === 'string') return 'binary';
  if (stored !== null && typeof stored === 'object' && !Array.isArray(stored)) return 'map';
  return 'missing';
};

const decodeBinary = (bytes: Uint8Array): Case => {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf[0] !== CASE_FORMAT.deflateDictionary1) throw new Error(`stored case in an unknown format ${String(buf[0])}`);
  return JSON.parse(inflateRawSync(buf.subarray(1), { dictionary: dictionary1 }).toString('utf8')) as Case;
};

/**
 * The case a stored `case` value holds, whatever form it is in: the Binary the document client returns (Uint8Array), the
 * same as base64 (Lambda's stream event JSON carries Binary values so), or the old map.
 */
export const decodeStoredCase = (stored: unknown): Case => {
  if (stored instanceof Uint8Array) return decodeBinary(stored);
  if (typeof stored === 'string') return decodeBinary(Buffer.from(stored, 'base64'));
  if (storedCaseForm(stored) === 'map') return stored as Case;
  throw new Error('the item holds no case');
};

/** The case of a case item (as the document client or unmarshall returns it). */
export const caseOfItem = (item: Readonly<Record<string, unknown>>): Case => decodeStoredCase(item[CASE_ATTR]);

/** The case item's attributes that carry the case: the encoded case and the fields expressions need. */
export const storedCaseAttributes = (c: Case): Record<string, unknown> => ({
  [CASE_ATTR]: encodeCase(c),
  [CASE_FIELD_ATTRS.status]: c.status,
  [CASE_FIELD_ATTRS.category]: c.category,
  [CASE_FIELD_ATTRS.regime]: c.regime,
  [CASE_FIELD_ATTRS.ownerId]: c.ownerId,
});

/**
 * A stored case item with its case replaced (in the new form): the rest of the item as it was. The migration rewrites
 * an old-form item with `itemWithCase(item, caseOfItem(item))`; tests and benchmarks that arrange a stored case's
 * fields directly (as a timer would leave them) read, change and put the item through it.
 */
export const itemWithCase = <T extends Readonly<Record<string, unknown>>>(item: T, c: Case): T & Record<string, unknown> => ({ ...item, ...storedCaseAttributes(c) });

/**
 * The audit chain's head hash as the case item stores it: the SHA-256 as 32 bytes of Binary instead of 64 hex
 * characters (32 bytes less on the item every change rewrites). Anything that is not a hex SHA-256 stays as given.
 */
export const headHashBytes = (hash: string): Uint8Array | string => (/^[0-9a-f]{64}$/.test(hash) ? Buffer.from(hash, 'hex') : hash);

/** A stored head hash in either form (hex text on items written before it was stored as Binary; base64 in a Lambda stream event is not read here). */
export const headHashOf = (stored: unknown): string => (stored instanceof Uint8Array ? Buffer.from(stored).toString('hex') : String(stored));
