// Paged Queries shared by the stores on the cases table: one page of a Query behind a checked start-key cursor, and
// every item of a Query (its pages drained). The HTTP layer seals the cursor these hand out into the opaque one clients see.
import { paginateQuery, QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';

export type StartKey = Record<string, unknown>;
type Item = Record<string, unknown>;

export interface KeyPage<T> {
  items: T[];
  nextCursor?: string;
}

export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
  /** Whether a decoded key is a start key this very query hands out (its partition, its key attributes and no other). */
  isStartKey: (k: StartKey) => boolean;
  /** The list's error for any other cursor. */
  invalid: () => Error;
  /** How the start key is written: JSON (default) or base64url JSON. */
  encoding?: 'json' | 'base64url';
}

const encode = (k: StartKey, encoding: PageRequest['encoding']): string => (encoding === 'base64url' ? Buffer.from(JSON.stringify(k)).toString('base64url') : JSON.stringify(k));

/** A cursor is only ever a start key this query handed out: a plain object of string attributes that `isStartKey` accepts. */
export const decodeStartKey = (page: Pick<PageRequest, 'cursor' | 'isStartKey' | 'invalid' | 'encoding'>): StartKey | undefined => {
  if (!page.cursor) return undefined;
  try {
    const k = JSON.parse(page.encoding === 'base64url' ? Buffer.from(page.cursor, 'base64url').toString('utf8') : page.cursor) as unknown;
    if (k && typeof k === 'object' && !Array.isArray(k) && Object.values(k).every((v) => typeof v === 'string') && page.isStartKey(k as StartKey)) return k as StartKey;
  } catch {
    // fall through: not a position of this list
  }
  throw page.invalid();
};

/** One page: a Query of `limit` items from the cursor's start key; `nextCursor` is DynamoDB's LastEvaluatedKey, when there is one. */
export const queryPage = async <T>(doc: DynamoDBDocumentClient, input: Omit<QueryCommandInput, 'Limit' | 'ExclusiveStartKey'>, page: PageRequest, map: (item: Item) => T): Promise<KeyPage<T>> => {
  const start = decodeStartKey(page);
  const out = await doc.send(new QueryCommand({ ...input, Limit: page.limit, ...(start ? { ExclusiveStartKey: start } : {}) }));
  const items = (out.Items ?? []).map(map);
  return { items, ...(out.LastEvaluatedKey ? { nextCursor: encode(out.LastEvaluatedKey, page.encoding) } : {}) };
};

/** Every item of a Query, page after page. */
export const queryAll = async <T>(doc: DynamoDBDocumentClient, input: QueryCommandInput, map: (item: Item) => T): Promise<T[]> => {
  const found: T[] = [];
  for await (const out of paginateQuery({ client: doc }, input)) for (const item of out.Items ?? []) found.push(map(item));
  return found;
};
