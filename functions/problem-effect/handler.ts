// GET /v1/problems/{id}/effect (supervisor, compliance, admin): complaints per week before and after the fix, rate ratio, verdict.
import { defineCoreHandler } from '#http/handler-core';
import { rateRatio } from '#domain/problems/effect-stats';
import { provideEffectVolumes } from '#http/problem-volumes';
import { effectStats, problemService } from '#http/problems-container';
import { route } from '#http/route-modules/problemEffect';

// The exact rate ratio (jstat): only this route computes it.
effectStats.provide(() => rateRatio);
// The weekly counts before and after the fix: the reporting projection's day counters.
provideEffectVolumes();

export const handler = defineCoreHandler(route, async ({ params, query }) => ({ body: await problemService().effect(params.id, query) }));
