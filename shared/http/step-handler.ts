// The Lambda steps of a workflow: one function per state machine, dispatched on `action` (the state name). The
// payload is validated with its zod schema (a malformed one throws and fails the task), logged and counted per action.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type * as z from 'zod';
import type { StepResult } from '#domain/resolution-service';
import { defineEventHandler, type EventHandler } from './event-handler';
import { logger } from './logger';
import { metrics } from './metrics';

type Step = { action: string; caseId: string };

export const defineStepHandler = <S extends z.ZodType<Step>>(name: string, metricPrefix: string, schema: S, run: (step: z.infer<S>) => Promise<StepResult>): EventHandler<unknown, StepResult> =>
  defineEventHandler(name, async (event: unknown) => {
    const parsed = schema.safeParse(event);
    if (!parsed.success) throw new Error(`not a ${name} step: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    const step = parsed.data;
    logger.appendKeys({ caseId: step.caseId, action: step.action });
    const out = await run(step);
    metrics.addMetric(`${metricPrefix}${step.action}`, MetricUnit.Count, 1);
    logger.info(`${name} step`, { ...out });
    return out;
  });
