// Stops the run's DynamoDB Local instances.
export default async function globalTeardown(): Promise<void> {
  await Promise.all((globalThis.__DYNAMOS__ ?? []).map((d) => d.stop()));
}
