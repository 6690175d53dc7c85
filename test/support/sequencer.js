// Jest's test order, longest files first even on a fresh clone (no timing cache yet): the default orders an unknown
// file by its size, so a long API suite of modest size could start last and run alone at the end of the run.
const Sequencer = require('@jest/test-sequencer').default;

/**
 * Measured as the longest (fresh-clone 2-core run, 2026-12-06: reports 225 s, prototype-keys 91 s, access-matrix 74 s,
 * no-scan 43 s, retention-repository 41 s, routes property 36 s, readme-tour 30 s): they start first, in this order;
 * everything else follows jest's order. A long file missing here can start last and run alone at the end of the run.
 */
const LONGEST = [
  'test/api/reports.test.ts',
  'test/security/prototype-keys.test.ts',
  'test/api/access-matrix.test.ts',
  'test/integration/no-scan.test.ts',
  'test/integration/retention-repository.test.ts',
  'test/property/routes.property.test.ts',
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
