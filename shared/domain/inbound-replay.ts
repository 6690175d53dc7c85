// The replay of a recorded inbound rejection, on both sides of the invocation that carries it: the inbound-email
// function answers refusals as data (refusalOf), and the replay route turns them back into the domain errors the HTTP
// layer maps (resultOf), so a replay answers the same 404, 409 and 410 as when the route ran the intake itself.
import type { InboundReplayer } from '#ports/inbound-replayer';
import { InboundReplayReply, type InboundRejection, type InboundReplayResult } from '#schemas/channels';
import { ConflictError, GoneError, NotFoundError } from './errors';

/** The function's reply to a replay that threw: a refusal for the domain errors a replay answers, else rethrown. */
export const refusalOf = (err: unknown): InboundReplayReply => {
  if (err instanceof NotFoundError) return { ok: false, refusal: 'not_found', message: err.message };
  if (err instanceof GoneError) return { ok: false, refusal: 'gone', message: err.message };
  if (err instanceof ConflictError) {
    const { reason } = err.details;
    return { ok: false, refusal: 'conflict', message: err.message, ...(reason !== undefined ? { reason } : {}) };
  }
  throw err;
};

/**
 * The function's answer as the invocation carried it (JSON text), checked like any input at an edge: anything else is
 * an error of the replay (500), never passed on as a result or a refusal.
 */
export const replyOf = (text: string): InboundReplayReply => {
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

/** The route's side: the result, or the refusal as the domain error it stands for. */
export const resultOf = (reply: InboundReplayReply): InboundReplayResult => {
  if (reply.ok) return reply.result;
  if (reply.refusal === 'not_found') throw new NotFoundError(reply.message);
  if (reply.refusal === 'gone') throw new GoneError(reply.message);
  throw new ConflictError(reply.message, reply.reason !== undefined ? { reason: reply.reason } : {});
};

export interface InboundReplayDeps {
  /** The inbound-email function; absent where the stacks deploy no email intake (complaints:emailIntake off). */
  replayer: InboundReplayer | undefined;
  rejection(id: string): Promise<InboundRejection | undefined>;
}

/** POST /v1/intake/rejections/{id}/replay: the email intake replays it; without one, nothing can be. */
export const replayInboundRejection = async (deps: InboundReplayDeps, id: string, actor: string): Promise<InboundReplayResult> => {
  if (deps.replayer) return resultOf(await deps.replayer.replay({ kind: 'replay', rejectionId: id, actor }));
  const rejection = await deps.rejection(id);
  if (!rejection) throw new NotFoundError(`inbound rejection ${id} not found`);
  throw new ConflictError('no email intake is deployed (complaints:emailIntake), so a stored message cannot be replayed');
};
