// The embedded stack's InboundReplayer: the local stack installs the inbound-email handler, and a replay runs it
// in-process on the same JSON a Lambda invocation carries (serialised both ways), its reply checked as in AWS.
import { ReplayInvocationError, type InboundReplayer } from '#ports/inbound-replayer';
import type { InboundReplayInvocation, InboundReplayReply } from '#schemas/channels';
import { replyOf } from '#domain/inbound-replay';

type InboundEmailFunction = (event: unknown) => Promise<unknown>;

class LocalInboundReplayer implements InboundReplayer {
  private fn: InboundEmailFunction | undefined;

  install(fn: InboundEmailFunction): void {
    this.fn = fn;
  }

  async replay(request: InboundReplayInvocation): Promise<InboundReplayReply> {
    if (!this.fn) throw new Error('the local inbound-email function is not installed (start the local stack first)');
    let out: unknown;
    try {
      out = await this.fn(JSON.parse(JSON.stringify(request)));
    } catch (err) {
      // What Lambda answers as a function error.
      throw new ReplayInvocationError('Unhandled', err instanceof Error ? err.message : String(err));
    }
    return replyOf(JSON.stringify(out ?? null));
  }
}

export const localInboundReplayer = new LocalInboundReplayer();
