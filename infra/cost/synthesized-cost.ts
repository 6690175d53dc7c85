// The fixed monthly cost of the app as configured, from the templates `cdk synth` writes: one computation for
// `npm run cost:fixed` and the bench's fixedcost phase (issue 29 item 6: "computed in the bench from the template").
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildApp } from '../app';
import { fixedMonthlyCost, type CostLine, type TemplateJson } from './fixed-cost';

/** The budget for a deployment nobody uses yet (issue 29 item 6), US dollars a month at list price. */
export const FIXED_COST_BUDGET = 10;

export interface SynthesizedCost {
  lines: CostLine[];
  total: number;
  budget: number;
  /** Templates read: every stack and nested stack the app synthesized. */
  templates: number;
}

/**
 * Synthesizes the app with `context` (cdk.json's, plus `complaints:*` overrides) into a temporary directory, without
 * bundling or CloudFormation's default rules (templates, not bundles, are priced), and prices every template there.
 */
export const synthesizedFixedCost = (context: Record<string, unknown> = {}): SynthesizedCost => {
  const previous = process.env.CDK_VALIDATION;
  process.env.CDK_VALIDATION = 'false';
  const outdir = mkdtempSync(path.join(tmpdir(), 'complaints-cost-'));
  try {
    buildApp({ context: { 'aws:cdk:bundling-stacks': [], ...context }, outdir }).app.synth();
    const templates = readdirSync(outdir)
      .filter((f) => f.endsWith('.template.json'))
      .map((f) => JSON.parse(readFileSync(path.join(outdir, f), 'utf8')) as TemplateJson);
    return { ...fixedMonthlyCost(templates), budget: FIXED_COST_BUDGET, templates: templates.length };
  } finally {
    if (previous === undefined) delete process.env.CDK_VALIDATION;
    else process.env.CDK_VALIDATION = previous;
    rmSync(outdir, { recursive: true, force: true });
  }
};

/** The cost lines and the total as printed by `npm run cost:fixed` and the bench. */
export const costReport = (cost: SynthesizedCost): string =>
  [
    ...cost.lines.map((l) => `${l.item.padEnd(48)} ${String(l.count).padStart(6)}  $${l.monthly.toFixed(2).padStart(6)}`),
    `${'Fixed monthly cost at zero traffic (list price)'.padEnd(56)}  $${cost.total.toFixed(2).padStart(6)}  (budget $${cost.budget})`,
  ].join('\n');
