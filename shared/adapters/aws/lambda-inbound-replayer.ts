// InboundReplayer on Lambda: a synchronous invocation (RequestResponse) of the inbound-email function with the replay
// request; its reply is validated like any input at an edge. A function error (the function threw: the table or the
// raw-mail bucket unreachable) is an error of the replay, never a refusal the client could act on.
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { InboundReplayer } from '#ports/inbound-replayer';
import { InboundReplayReply, type InboundReplayInvocation } from '#schemas/channels';
import { withoutSdkLogger } from '#adapters/aws/sdk-client';

export class LambdaInboundReplayer implements InboundReplayer {
  private readonly lambda: LambdaClient;

  constructor(private readonly opts: { functionArn: string; region: string; /** Another Lambda endpoint (tests). */ endpoint?: string }) {
    this.lambda = withoutSdkLogger(new LambdaClient({ region: opts.region, ...(opts.endpoint ? { endpoint: opts.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } } : {}) }));
  }

  async replay(request: InboundReplayInvocation): Promise<InboundReplayReply> {
    const out = await this.lambda.send(new InvokeCommand({ FunctionName: this.opts.functionArn, InvocationType: 'RequestResponse', Payload: Buffer.from(JSON.stringify(request)) }));
    const text = out.Payload ? Buffer.from(out.Payload).toString('utf8') : '';
    if (out.FunctionError) throw new Error(`the inbound-email function failed the replay (${out.FunctionError}): ${text.slice(0, 500)}`);
    return parseReply(text);
  }
}

/** The function's reply, checked: anything else is an error of the replay (500), never passed on as a result. */
export const parseReply = (text: string): InboundReplayReply => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`the inbound-email function answered the replay with no JSON: ${text.slice(0, 200)}`);
  }
  const parsed = InboundReplayReply.safeParse(json);
  if (!parsed.success) throw new Error(`the inbound-email function answered the replay with an unexpected reply: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
};
