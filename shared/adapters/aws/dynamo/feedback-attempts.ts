// AttemptCounter on the case table: one item per feedback link, incremented by a conditional update (never past the
// limit), removed by the table's TTL once the link has expired.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AttemptCounter } from '#ports/feedback-links';
import { keys, TABLES } from './table-model';

export class DynamoFeedbackAttempts implements AttemptCounter {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async attempt(caseId: string, tokenId: string, max: number, expiresAt: string): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.feedbackAttempts(caseId, tokenId),
          UpdateExpression: 'ADD attempts :one SET #ttl = :ttl',
          ConditionExpression: 'attribute_not_exists(attempts) OR attempts < :max',
          ExpressionAttributeNames: { '#ttl': TABLES.cases.ttlAttribute },
          // A day past the link's expiry: an expired link is refused from its signed claims before this is read.
          ExpressionAttributeValues: { ':one': 1, ':max': max, ':ttl': Math.floor(Date.parse(expiresAt) / 1000) + 86_400 },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }
}
