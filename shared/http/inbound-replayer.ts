// The replay route's composition: the inbound-email function that replays (Lambda in AWS, in-process locally) and the
// rejection log it reads when no email intake is deployed. No mail parser, raw-mail bucket or triage model here.
import { replayInboundRejection } from '#domain/inbound-replay';
import type { InboundReplayer } from '#ports/inbound-replayer';
import type { InboundReplayResult } from '#schemas/channels';
import { LambdaInboundReplayer } from '#adapters/aws/lambda-inbound-replayer';
import { localInboundReplayer } from '#adapters/local/local-inbound-replayer';
import { config } from './config';
import { inboundLog } from './inbound-log-container';

/** Built on the first replay; `replayer` stays undefined where no email intake is deployed. */
let built: { replayer: InboundReplayer | undefined } | undefined;

const buildReplayer = (): InboundReplayer | undefined => {
  const cfg = config();
  if (cfg.INTEGRATIONS === 'local') return localInboundReplayer;
  return cfg.INBOUND_EMAIL_FUNCTION_ARN ? new LambdaInboundReplayer({ functionArn: cfg.INBOUND_EMAIL_FUNCTION_ARN, region: cfg.AWS_REGION }) : undefined;
};

export const replayRejection = (id: string, actor: string): Promise<InboundReplayResult> => {
  built ??= { replayer: buildReplayer() };
  return replayInboundRejection({ replayer: built.replayer, rejection: (rid) => inboundLog().rejection(rid) }, id, actor);
};
