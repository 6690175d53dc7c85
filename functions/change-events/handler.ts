// Target of the EventBridge rule on CodeDeploy and CodePipeline state changes: a succeeded deployment or pipeline
// execution is recorded as a change (source and its own id make it idempotent under redelivery), so spikes can be
// read next to the deployments before them. Other states are ignored.
import { defineEventHandler } from '#http/event-handler';
import { logger } from '#http/observability';
import { signalService } from '#http/signals-container';
import { changeFromPipelineEvent } from '#domain/problems/pipeline-events';

export const handler = defineEventHandler<unknown, { recorded: boolean; id?: string }>('change-events', async (event) => {
  const body = changeFromPipelineEvent(event);
  if (!body) return { recorded: false };
  const { change, created } = await signalService().recordChange(`eventbridge:${body.source}`, body);
  logger.info(created ? 'change recorded' : 'change already recorded', { changeId: change.id, source: change.source });
  return { recorded: created, id: change.id };
});
