// InboundReplayer on Lambda: a synchronous invocation (RequestResponse) of the inbound-email function with the replay
// request; its reply is validated like any input at an edge (replyOf). A function error (the function threw: the table or the
// raw-mail bucket unreachable) is an error of the replay, never a refusal the client could act on.
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { ReplayInvocationError, type InboundReplayer } from '#ports/inbound-replayer';
import { replyOf } from '#domain/inbound-replay';
import type { InboundReplayInvocation, InboundReplayReply } from '#schemas/channels';
import { withoutSdkLogger } from '#adapters/aws/sdk-client';

export class LambdaInboundReplayer implements InboundReplayer {
  private readonly lambda: LambdaClient;

  constructor(private readonly opts: { functionArn: string; region: string; /** Another Lambda endpoint (tests). */ endpoint?: string }) {
    this.lambda = withoutSdkLogger(new LambdaClient({ region: opts.region, ...(opts.endpoint ? { endpoint: opts.endpoint } : {}) }));
  }

  async replay(request: InboundReplayInvocation): Promise<InboundReplayReply> {
    const out = await this.lambda.send(new InvokeCommand({ FunctionName: this.opts.functionArn, InvocationType: 'RequestResponse', Payload: Buffer.from(JSON.stringify(request)) }));
    const text = out.Payload ? Buffer.from(out.Payload).toString('utf8') : '';
    if (out.FunctionError) throw new ReplayInvocationError(out.FunctionError, text);
    return replyOf(text);
  }
}
