// CodeDeploy and CodePipeline state-change events (as EventBridge delivers them) as change records: a deployment or a
// pipeline execution that succeeded is a change that took effect at the event's time; every other state is ignored.
// Event shapes: "CodeDeploy Deployment State-change Notification" and "CodePipeline Pipeline Execution State Change".
import * as z from 'zod';
import type { CreateChangeBody } from '#schemas/problems';

const Name = /* @__PURE__ */ z.string().trim().min(1).max(200);

const CodeDeploy = /* @__PURE__ */ z.object({
  source: /* @__PURE__ */ z.literal('aws.codedeploy'),
  'detail-type': /* @__PURE__ */ z.literal('CodeDeploy Deployment State-change Notification'),
  time: /* @__PURE__ */ z.iso.datetime({ offset: true }),
  detail: /* @__PURE__ */ z.object({ deploymentId: Name, application: Name, deploymentGroup: Name, state: /* @__PURE__ */ z.string() }),
});

const CodePipeline = /* @__PURE__ */ z.object({
  source: /* @__PURE__ */ z.literal('aws.codepipeline'),
  'detail-type': /* @__PURE__ */ z.literal('CodePipeline Pipeline Execution State Change'),
  time: /* @__PURE__ */ z.iso.datetime({ offset: true }),
  detail: /* @__PURE__ */ z.object({ pipeline: Name, 'execution-id': Name, state: /* @__PURE__ */ z.string() }),
});

export const CHANGE_SOURCES = { codedeploy: 'aws.codedeploy', codepipeline: 'aws.codepipeline' } as const;

/** The change an event records, or undefined (another state, another source, or not an event of these shapes). */
export const changeFromPipelineEvent = (event: unknown): CreateChangeBody | undefined => {
  const deploy = CodeDeploy.safeParse(event);
  if (deploy.success) {
    const d = deploy.data.detail;
    if (d.state !== 'SUCCESS') return undefined;
    return { title: `Deployment ${d.deploymentId} of ${d.application} to ${d.deploymentGroup}`, kind: 'deployment', at: deploy.data.time, source: 'codedeploy', externalId: d.deploymentId };
  }
  const pipeline = CodePipeline.safeParse(event);
  if (pipeline.success) {
    const d = pipeline.data.detail;
    if (d.state !== 'SUCCEEDED') return undefined;
    return { title: `Pipeline ${d.pipeline} execution ${d['execution-id']}`, kind: 'deployment', at: pipeline.data.time, source: 'codepipeline', externalId: d['execution-id'] };
  }
  return undefined;
};
