// `npm run cost:fixed`: the fixed monthly cost at zero traffic of the app as configured (cdk.json and -c style
// `complaints:*=value` arguments), from its synthesized templates (infra/cost/synthesized-cost.ts, the computation the
// bench's fixedcost phase runs too); exits 1 above the budget.
import { costReport, synthesizedFixedCost } from '../infra/cost/synthesized-cost';

const context: Record<string, unknown> = {};
for (const arg of process.argv.slice(2)) {
  const m = /^(complaints:[A-Za-z]+)=(.*)$/.exec(arg);
  if (m) context[m[1]!] = m[2];
}
const cost = synthesizedFixedCost(context);
console.log(costReport(cost));
if (cost.total > cost.budget) process.exitCode = 1;
