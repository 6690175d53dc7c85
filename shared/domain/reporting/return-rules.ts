// The regulatory rules the complaints returns apply, each cited with the version date it was checked against, for the
// rule register (the "Return rules" section of docs/regulatory/register.md lists the same ids with the tests that prove them).
//
// Sources read when this was written (December 2026): the FCA's PS25/19 page ("PS25/19: Improving the complaints
// reporting process", published 3 December 2025); DISP 1.10.1R as on the FCA Handbook (version last updated
// 07/04/2026, a future version from 31/12/2026); DISP 1.10.2R (version date 31 March 2013) and its guidance on
// redress and on upheld complaints as archived. Where a detail could not be read from the rule's own text the entry
// says so in `verification`: a reviewer must check it before relying on it.

export interface ReturnRule {
  id: string;
  /** What the product does because of the rule. */
  rule: string;
  citation: { ref: string; version: string };
  /** The module that applies it. */
  module: string;
  /** How the text was checked; a detail not read from the rule's own text is named here. */
  verification: string;
}

const PS25_19 = { ref: 'FCA PS25/19 Improving the complaints reporting process', version: '2025-12-03' } as const;
const CONSOLIDATED = 'shared/domain/reporting/consolidated-return.ts';
const RETURNS = 'shared/domain/reporting/returns.ts';

export const RETURN_RULES: readonly ReturnRule[] = [
  {
    id: 'RET-PS2519-SINGLE-RETURN',
    rule: 'From the 2027-H1 period one consolidated return replaces DISP 1 Annex 1 and the electronic money and payment services return: it covers UK_FCA_DISP and UK_FCA_PSD complaints together.',
    citation: PS25_19,
    module: CONSOLIDATED,
    verification: 'FCA PS25/19 page: "a single, unified complaints return to replace five of the existing complaints returns (DISP 1 Annex 1, … Electronic Money and Payment Services Return (PSR))".',
  },
  {
    id: 'RET-PS2519-LEGAL-ENTITY',
    rule: 'No group reporting: one return per legal entity (FRN), an entity without complaints is a nil return.',
    citation: PS25_19,
    module: CONSOLIDATED,
    verification: 'FCA PS25/19 page: "Removal of group reporting … submit complaints data at individual firm level"; "Simplified way to complete a nil return".',
  },
  {
    id: 'RET-PS2519-HALF-YEARS',
    rule: 'Reporting periods are fixed half years (1 January–30 June, 1 July–31 December), the first from 1 January 2027; any other period, or one spanning 1 January 2027, is refused.',
    citation: PS25_19,
    module: RETURNS,
    verification: 'Fixed six-monthly periods and the 1 January 2027 start are stated by secondary summaries of PS25/19 (and the CP25/13 proposal); the PS25/19 page excerpt read here does not state the dates.',
  },
  {
    id: 'RET-DISP-ANNEX-1R-UNTIL-2027',
    rule: 'Periods ending before 2027 keep the DISP 1 Annex 1R return format (UK_FCA_DISP).',
    citation: { ref: 'DISP 1.10.1R(3)(a)', version: '2026-04-07' },
    module: RETURNS,
    verification: 'FCA Handbook DISP 1.10 as last updated 07/04/2026 (a future version is dated 31/12/2026).',
  },
  {
    id: 'RET-PS2519-TAXONOMY',
    rule: 'Complaints are reported in the return’s product and cause categories: every product group and root-cause group maps onto one through configuration; an unmapped one is a 400 naming it.',
    citation: PS25_19,
    module: CONSOLIDATED,
    verification: 'PS25/19 page: "Updated complaints taxonomy". The category names themselves could not be read from a stored copy of the return: they are configuration (REPORTING.consolidatedReturn.taxonomy), to be copied from the FCA’s published return.',
  },
  {
    id: 'RET-PS2519-VULNERABLE-CUSTOMER',
    rule: 'Data point: complaints where the firm identifies the customer is in vulnerable circumstances, regardless of how this was disclosed (opened, closed, upheld).',
    citation: PS25_19,
    module: CONSOLIDATED,
    verification: 'PS25/19 page, quoted data point (1).',
  },
  {
    id: 'RET-PS2519-VULNERABILITY-FAILURE',
    rule: 'Data point: complaints relating to or caused by the firm’s failure to consider or respond to a customer’s vulnerability (a root-cause flag).',
    citation: PS25_19,
    module: CONSOLIDATED,
    verification: 'PS25/19 page, quoted data point (2).',
  },
  {
    id: 'RET-FG211-DRIVERS',
    rule: 'Vulnerability is recorded with regard to the four drivers of FG21/1 (health, life events, resilience, capability): triage cues map onto them and the return and the triage report count by driver.',
    citation: { ref: 'FCA FG21/1 Guidance for firms on the fair treatment of vulnerable customers', version: '2021-02-23' },
    module: 'shared/domain/vulnerability.ts',
    verification: 'The four drivers: PS25/19 page. The characteristics under each driver follow FG21/1’s table as the team knows it; the table was not re-read from a stored copy.',
  },
  {
    id: 'RET-PS2519-CONTEXT',
    rule: 'Contextualised complaints data is carried by entities in the retail banking, insurance, payment services and claims management sectors only.',
    citation: PS25_19,
    module: CONSOLIDATED,
    verification: 'PS25/19 page: "retaining reporting of this data for Retail Banking, Insurance, Payment Services and CMCs firms only". What the contextual figure is per product was not read: it is the firm’s figure, from configuration.',
  },
  {
    id: 'RET-DISP110-REDRESS',
    rule: 'Redress is an amount paid, or cost borne, where a cash value can be readily identified: financial loss (with interest), goodwill, distress and inconvenience, waived amounts and other non-cash remedies, recorded separately on the resolution and summed per currency.',
    citation: { ref: 'DISP 1.10.2R(4) and its guidance on redress', version: '2013-03-31' },
    module: CONSOLIDATED,
    verification: 'DISP 1.10.2R(4) at version date 31 March 2013; the guidance list (distress and inconvenience, goodwill payments and gestures, interest on delayed settlements, waiver of an excess, …) read from an archived copy of DISP 1.10 without its own version date.',
  },
  {
    id: 'RET-DISP110-UPHELD',
    rule: 'A complaint upheld in part counts as upheld; one rejected with a goodwill payment counts as not upheld.',
    citation: { ref: 'DISP 1.10.2R(3)(a) and its guidance on upheld complaints', version: '2013-03-31' },
    module: CONSOLIDATED,
    verification: 'Read from an archived copy of DISP 1.10 (the guidance has no version date of its own there).',
  },
];

/** The rules the consolidated return states it applies. */
export const consolidatedRuleCitations = (): { id: string; ref: string; version: string }[] =>
  RETURN_RULES.filter((r) => r.id !== 'RET-DISP-ANNEX-1R-UNTIL-2027').map((r) => ({ id: r.id, ref: r.citation.ref, version: r.citation.version }));
