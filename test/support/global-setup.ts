// Starts one in-memory DynamoDB Local for the whole run, on an ephemeral loopback port.
import { startDynamoLocal, type RunningDynamo } from '../../infra/local/dynamodb-local';

declare global {
  var __DYNAMO__: RunningDynamo | undefined;
}

export default async function globalSetup(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const dynamo = await startDynamoLocal();
  globalThis.__DYNAMO__ = dynamo;
  // Workers inherit the parent's environment.
  process.env.TEST_DYNAMODB_ENDPOINT = dynamo.endpoint;
}
