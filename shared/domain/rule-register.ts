// The sources of the rule register (docs/regulatory/register.md): each module that applies regulatory rules, the
// register section that lists them, and the ids it applies. A module that starts applying rules adds one entry here
// and one section there; the register test then checks both ways.
import { letterRuleIds } from './letters';
import { regimeRuleIds } from './regimes';
import { RETURN_RULES } from './reporting/return-rules';
import { honestMetricsRuleIds } from './honest-metrics';

export interface RuleSource {
  /** The `## ` heading of the register section that lists this module's rules. */
  section: string;
  /** The module that applies them (repository path). */
  module: string;
  /** Every rule id the module applies. */
  ids: () => string[];
}

export const RULE_SOURCES: readonly RuleSource[] = [
  { section: 'Regime rules', module: 'shared/domain/regimes.ts', ids: regimeRuleIds },
  { section: 'Letter rules', module: 'shared/domain/letters.ts', ids: letterRuleIds },
  { section: 'Return rules', module: 'shared/domain/reporting/return-rules.ts', ids: () => RETURN_RULES.map((r) => r.id) },
  { section: 'Honest-metrics rules', module: 'shared/domain/honest-metrics.ts', ids: honestMetricsRuleIds },
];
