// Matching personal data and identifiers as whole tokens: a bare digit run or word can occur inside random hex
// (salts, hashes) or a ULID, so a substring pattern such as /7946/ fails at random on a redacted timeline.
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/**
 * A pattern that matches any of the exact values as a whole token: not preceded or followed by a letter or digit.
 * `wholeTokens('Grace Hopper', '+44 20 7946 0001')` matches `"name":"Grace Hopper"` but never `…a7946f…`.
 */
export const wholeTokens = (values: readonly string[], flags = ''): RegExp => {
  if (!values.length) throw new Error('wholeTokens needs at least one value');
  return new RegExp(`(?<![A-Za-z0-9])(?:${values.map(escape).join('|')})(?![A-Za-z0-9])`, flags);
};

/** The exact values of `values` that occur in `text` as whole tokens (an assertion's message names what leaked). */
export const tokensIn = (text: string, values: readonly string[], flags = ''): string[] =>
  values.filter((v) => wholeTokens([v], flags).test(text));
