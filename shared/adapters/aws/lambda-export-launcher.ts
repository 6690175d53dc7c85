// ExportLauncher on Lambda: an asynchronous invocation (InvocationType Event) of the export builder, whose failed
// invocations Lambda retries and then dead-letters. A duplicate launch is harmless: the builder claims the job once.
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { ExportLaunch, ExportLauncher } from '#ports/export-launcher';
import { withoutSdkLogger } from '#adapters/aws/sdk-client';

export class LambdaExportLauncher implements ExportLauncher {
  private readonly lambda: LambdaClient;

  constructor(private readonly opts: { functionArn: string; region: string }) {
    this.lambda = withoutSdkLogger(new LambdaClient({ region: opts.region }));
  }

  async launch(job: ExportLaunch): Promise<void> {
    const out = await this.lambda.send(new InvokeCommand({ FunctionName: this.opts.functionArn, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(job)) }));
    if (out.StatusCode !== 202) throw new Error(`export builder invocation answered ${out.StatusCode ?? 'no status'}`);
  }
}
