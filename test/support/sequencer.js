// Jest's test order, longest files first even on a fresh clone (no timing cache yet): the default orders an unknown
// file by its size, so a long API suite of modest size could start last and run alone at the end of the run.
const Sequencer = require('@jest/test-sequencer').default;

/** Measured as the longest (2-core runs, 2026-12): they start first, in this order; everything else follows jest's order. */
const LONGEST = ['test/api/reports.test.ts', 'test/integration/no-scan.test.ts', 'test/api/access-matrix.test.ts', 'test/api/readme-tour.test.ts', 'test/property/routes.property.test.ts'];

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
