// The rule register (docs/regulatory/register.md) against the code: every rule id each source module applies is
// listed in its section and every id listed exists there; every rule is cited with a version date; every test the
// register names exists. A new source module is one entry in RULE_SOURCES and one register section.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LETTER_RULES } from '#domain/letters';
import { regimeCitations } from '#domain/regimes';
import { RULE_SOURCES } from '#domain/rule-register';
import { RETURN_RULES } from '#domain/reporting/return-rules';
import { HONEST_METRICS_RULES } from '#domain/honest-metrics';
import { Regime } from '#schemas/regime';
import { listRegimes } from '#domain/regimes';

const ROOT = path.resolve(__dirname, '..', '..');
const REGISTER = readFileSync(path.join(ROOT, 'docs', 'regulatory', 'register.md'), 'utf8');
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

interface Row {
  id: string;
  version: string;
  cells: string[];
}

/** The table rows of one `## ` section: the first cell is the backticked rule id, the third the version date. */
const section = (heading: string): Row[] | undefined => {
  const start = REGISTER.indexOf(`\n## ${heading}\n`);
  if (start < 0) return undefined;
  const rest = REGISTER.slice(start + heading.length + 5);
  const body = rest.slice(0, rest.search(/\n## /) < 0 ? undefined : rest.search(/\n## /));
  return body
    .split('\n')
    .filter((l) => /^\| `[^`]+` \|/.test(l))
    .map((l) => {
      const cells = l.split('|').slice(1, -1).map((c) => c.trim());
      return { id: cells[0]!.slice(1, -1), version: cells[2]!, cells };
    });
};

describe('the rule register', () => {
  it.each(RULE_SOURCES.map((s) => [s.section, s]))('section "%s" lists exactly the rule ids its module applies', (_name, source) => {
    const rows = section(source.section);
    expect({ section: source.section, present: rows !== undefined }).toEqual({ section: source.section, present: true });
    const listed = rows!.map((r) => r.id);
    expect(new Set(listed).size).toBe(listed.length); // each id once
    const ids = source.ids();
    expect({ missingFromRegister: ids.filter((id) => !listed.includes(id)), unknownInCode: listed.filter((id) => !ids.includes(id)) }).toEqual({ missingFromRegister: [], unknownInCode: [] });
    expect(REGISTER).toContain(`Module: \`${source.module}\``);
  });

  it('gives every rule a version date and names tests that exist', () => {
    for (const s of RULE_SOURCES) {
      for (const row of section(s.section)!) {
        expect([row.id, ISO_DATE.test(row.version)]).toEqual([row.id, true]);
        const tests = [...row.cells[5]!.matchAll(/`(test\/[^`]+?\.test\.ts)`/g)].map((m) => m[1]!);
        expect([row.id, tests.length > 0]).toEqual([row.id, true]);
        for (const t of tests) expect([row.id, t, existsSync(path.join(ROOT, t))]).toEqual([row.id, t, true]);
      }
    }
  });

  it('states the same version date as the code for every regime, letter and return rule', () => {
    const versions = new Map<string, string>();
    for (const c of regimeCitations()) versions.set(c.ruleId, c.citationVersion.version);
    for (const r of Object.values(LETTER_RULES)) versions.set(r.id, r.version);
    for (const r of RETURN_RULES) versions.set(r.id, r.citation.version);
    for (const r of HONEST_METRICS_RULES) versions.set(r.id, r.citation.version);
    for (const s of RULE_SOURCES) for (const row of section(s.section)!) expect([row.id, row.version]).toEqual([row.id, versions.get(row.id)]);
  });
});

describe('citations are current', () => {
  it('every regime, clock, cut-off, extension and informal path cites its rule with a version date and a check date', () => {
    for (const c of regimeCitations()) {
      expect([c.ruleId, c.citation.length > 3, ISO_DATE.test(c.citationVersion.version), ISO_DATE.test(c.citationVersion.checkedAt)]).toEqual([c.ruleId, true, true, true]);
    }
  });

  it('a regime rule cited without a version date fails the published schema', () => {
    const [regime] = listRegimes();
    const { citationVersion: _gone, ...undated } = regime!.clocks[0]!;
    expect(Regime.safeParse({ ...regime, clocks: [undated] }).success).toBe(false);
    expect(Regime.safeParse({ ...regime, clocks: [{ ...undated, citationVersion: { version: 'current', checkedAt: '2026-12-06' } }] }).success).toBe(false);
    expect(Regime.safeParse(regime).success).toBe(true);
  });

  it('no citation relies on a deleted provision or on the superseded Irish code', () => {
    const all = [...regimeCitations().map((c) => c.citation), ...Object.values(LETTER_RULES).map((r) => r.ref)];
    expect(all.filter((c) => /1\.5\.3G|CPC 2012|Consumer Protection Code 2012/.test(c))).toEqual([]);
  });
});
