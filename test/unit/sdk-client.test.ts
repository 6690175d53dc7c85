// Every AWS SDK client we create goes without the SDK's logger middleware (it copies each response for a no-op logger).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { createDynamoClients } from '#adapters/aws/dynamo/client';
import { s3Client } from '#adapters/aws/s3-evidence-vault';
import { SDK_LOGGER_MIDDLEWARE, withoutSdkLogger } from '#adapters/aws/sdk-client';

const names = (client: { middlewareStack: { identify(): string[] } }) => client.middlewareStack.identify().map((m) => m.split(' ')[0]);

describe('withoutSdkLogger', () => {
  it('a new SDK client has the logger middleware under the name we remove (a rename in an SDK upgrade fails here)', () => {
    expect(names(new DynamoDBClient({ region: 'eu-west-2' }))).toContain(SDK_LOGGER_MIDDLEWARE);
  });

  it('removes it and nothing else', () => {
    const before = names(new SFNClient({ region: 'eu-west-2' }));
    const after = names(withoutSdkLogger(new SFNClient({ region: 'eu-west-2' })));
    expect(after).toEqual(before.filter((n) => n !== SDK_LOGGER_MIDDLEWARE));
  });

  it('the DynamoDB clients (raw and document) and the S3 client go without it', () => {
    const { raw, doc } = createDynamoClients({ region: 'eu-west-2' });
    expect(names(raw)).not.toContain(SDK_LOGGER_MIDDLEWARE);
    expect(names(doc)).not.toContain(SDK_LOGGER_MIDDLEWARE);
    expect(names(s3Client({ region: 'eu-west-2' }))).not.toContain(SDK_LOGGER_MIDDLEWARE);
    raw.destroy();
  });
});
