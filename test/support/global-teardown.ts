// Stops the run's DynamoDB Local.
export default async function globalTeardown(): Promise<void> {
  await globalThis.__DYNAMO__?.stop();
}
