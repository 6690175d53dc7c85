// `npm run cost:fixed`: the fixed monthly cost at zero traffic of the app as configured (cdk.json and -c style
// `complaints:*=value` arguments), from its synthesized templates (infra/cost/fixed-cost.ts); exits 1 above the budget.
import { readdirSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildApp } from '../infra/app';
import { fixedMonthlyCost, type TemplateJson } from '../infra/cost/fixed-cost';

/** The budget for a deployment nobody uses yet (issue 29 item 6). */
const BUDGET = 10;

process.env.CDK_VALIDATION = 'false';
const context: Record<string, unknown> = { 'aws:cdk:bundling-stacks': [] };
for (const arg of process.argv.slice(2)) {
  const m = /^(complaints:[A-Za-z]+)=(.*)$/.exec(arg);
  if (m) context[m[1]!] = m[2];
}
const outdir = mkdtempSync(path.join(tmpdir(), 'complaints-cost-'));
buildApp({ context, outdir }).app.synth();
const templates = readdirSync(outdir)
  .filter((f) => f.endsWith('.template.json'))
  .map((f) => JSON.parse(readFileSync(path.join(outdir, f), 'utf8')) as TemplateJson);
const { lines, total } = fixedMonthlyCost(templates);
for (const l of lines) console.log(`${l.item.padEnd(48)} ${String(l.count).padStart(6)}  $${l.monthly.toFixed(2).padStart(6)}`);
console.log(`${'Fixed monthly cost at zero traffic (list price)'.padEnd(56)}  $${total.toFixed(2).padStart(6)}  (budget $${BUDGET})`);
if (total > BUDGET) process.exitCode = 1;
