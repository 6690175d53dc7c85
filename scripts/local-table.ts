// For the table scripts (npm run migrate, npm run reports:rebuild): without TABLE_NAME they work on the local
// stack's table, through the running `npm start`'s DynamoDB Local when there is one, else on one they start on its
// data directory. Resolves with how to stop what they started (nothing when they found one running or TABLE_NAME set).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const useLocalTableUnlessSet = async (dataDir: string, say: (line: string) => void): Promise<(() => Promise<void>) | undefined> => {
  if (process.env.TABLE_NAME) return undefined;
  const running = join(dataDir, 'running.json');
  const { startDynamoLocal } = await import('../infra/local/dynamodb-local');
  const { applyLocalEnv } = await import('../infra/local/stack');
  if (existsSync(running)) {
    const r = JSON.parse(readFileSync(running, 'utf8')) as { dynamodb: string; tables: { cases: string; idempotency: string; local: string } };
    say(`▸ using the running npm start's DynamoDB Local at ${r.dynamodb}`);
    applyLocalEnv(r.dynamodb, r.tables);
    return undefined;
  }
  say(`▸ starting DynamoDB Local on ${join(dataDir, 'dynamodb')} …`);
  const dynamo = await startDynamoLocal({ dataDir: join(dataDir, 'dynamodb') });
  applyLocalEnv(dynamo.endpoint, { cases: 'complaints', idempotency: 'complaints-idempotency', local: 'complaints-local' });
  return () => dynamo.stop();
};
