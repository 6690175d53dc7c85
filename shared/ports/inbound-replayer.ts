// Runs a recorded inbound rejection through the email intake again, in the inbound-email function: a synchronous
// Lambda invocation in AWS, the same handler in-process locally. The replay route asks; it never parses mail itself.
import type { InboundReplayInvocation, InboundReplayReply } from '#schemas/channels';

export interface InboundReplayer {
  /** The function's answer; throws only when the invocation itself failed (the function's error, not a refusal). */
  replay(request: InboundReplayInvocation): Promise<InboundReplayReply>;
}
