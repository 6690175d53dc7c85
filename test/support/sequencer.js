// Jest's test order, longest files first even on a fresh clone (no timing cache yet): the default orders an unknown
// file by its size, so a long API suite of modest size could start last and run alone at the end of the run.
const Sequencer = require('@jest/test-sequencer').default;

/**
 * Measured as the longest (2-core run with coverage, 2026-12-06: chaos 105 s, reports 69 s, console screens 58 s,
 * no-scan 57 s, access-matrix 57 s, console approvals 44 s, routes property 38 s, prototype-keys 38 s, app-settings 35 s,
 * readme-tour 32 s; since then the infra suites run as one file, test/infra/infra.test.ts): they start first, in this order; everything else follows jest's order. A long file missing here
 * can start last and run alone at the end of the run. The chaos suite spends much of its time in the SDK's backoff
 * (sleeping, not computing), so starting it first lets the other worker's files use the CPU meanwhile.
 */
const LONGEST = [
  'test/chaos/chaos.test.ts',
  'test/api/reports.test.ts',
  'test/infra/infra.test.ts',
  'test/console/screens.test.ts',
  'test/integration/no-scan.test.ts',
  'test/api/access-matrix.test.ts',
  'test/console/approvals-reports-admin.test.ts',
  'test/console/cognito-signin.test.ts',
  'test/property/routes.property.test.ts',
  'test/security/prototype-keys.test.ts',
  'test/api/readme-tour.test.ts',
];

class LongestFirst extends Sequencer {
  async sort(tests) {
    const rank = (t) => {
      const i = LONGEST.findIndex((suffix) => t.path.endsWith(suffix));
      return i === -1 ? LONGEST.length : i;
    };
    const ordered = await super.sort(tests);
    const byDefault = new Map(ordered.map((t, i) => [t, i]));
    return [...ordered].sort((a, b) => rank(a) - rank(b) || byDefault.get(a) - byDefault.get(b));
  }
}

module.exports = LongestFirst;
