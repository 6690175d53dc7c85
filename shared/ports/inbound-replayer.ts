// Runs a recorded inbound rejection through the email intake again, in the inbound-email function: a synchronous
// Lambda invocation in AWS, the same handler in-process locally. The replay route asks; it never parses mail itself.
import type { InboundReplayInvocation, InboundReplayReply } from '#schemas/channels';

export interface InboundReplayer {
  /** The function's answer; throws only when the invocation itself failed (the function's error, not a refusal). */
  replay(request: InboundReplayInvocation): Promise<InboundReplayReply>;
}

/**
 * The invocation itself failed (the function threw: the table or the raw-mail bucket unreachable), as Lambda reports it
 * (`kind`: its X-Amz-Function-Error, e.g. Unhandled): an error of the replay, never a refusal the client could act on.
 */
export class ReplayInvocationError extends Error {
  override name = 'ReplayInvocationError';
  constructor(kind: string, detail: string) {
    super(`the inbound-email function failed the replay (${kind}): ${detail.slice(0, 500)}`);
  }
}
