// The admission-of-liability scan (issue 25, finding 3), pure: every text the organisation sends in its own voice (the
// final response, the acknowledgement, each letter) is scanned before it leaves; an admission goes out only inside a
// final response that legal approved (approval rule `admission_of_liability`).
import { ConflictError, InvalidInputError } from './errors';

/** Phrases no letter may contain unless legal approved them: acknowledging or apologising is not admitting. */
export const ADMISSION_PHRASES = [
  'we admit',
  'we hereby admit',
  'admit liability',
  'admits liability',
  'our fault',
  'we are at fault',
  'we are liable',
  'we accept liability',
  'we accept full liability',
  'we accept responsibility',
  'we accept full responsibility',
  'we were negligent',
  'admission of liability is',
  'legally responsible',
] as const;

/**
 * The text as a reader sees it, for matching: compatibility forms folded (full-width letters, ligatures), invisible
 * format characters (zero-width spaces and joiners, soft hyphens, bidirectional marks) removed, every run of
 * whitespace one space, lower case. "We\u200b admit" and "WE\nADMIT" read as "we admit", so they match.
 */
const readable = (text: string): string =>
  text
    .normalize('NFKC')
    .replace(/[\p{Cf}\u00ad]/gu, '')
    .replace(/[\s\u2028\u2029]+/gu, ' ')
    .toLowerCase();

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Whole words only: "your fault" does not contain the phrase "our fault". Compiled on first use, not at cold start:
 * the Unicode-class patterns took about 10 ms to build, in every function that loads the case service (issue 28).
 */
let patterns: { phrase: string; re: RegExp }[] | undefined;
const patternsOf = () => (patterns ??= ADMISSION_PHRASES.map((phrase) => ({ phrase, re: new RegExp(`(?<![\\p{L}\\p{N}])${escape(phrase)}(?![\\p{L}\\p{N}])`, 'u') })));

/** The admission phrases `text` contains (each once, in list order); empty when it admits nothing. */
export const findAdmissions = (...texts: (string | undefined)[]): string[] => {
  const seen = texts.filter((t): t is string => typeof t === 'string').map(readable);
  return patternsOf().filter(({ re }) => seen.some((t) => re.test(t))).map(({ phrase }) => phrase);
};

/**
 * An acknowledgement (or any text outside an approved final response) may not admit liability: 400 naming the field
 * when the sender wrote the text, 409 when the rendered letter itself would (the case's own words in the template).
 */
export const assertNoAdmission = (text: string, what: string, field?: string): void => {
  const found = findAdmissions(text);
  if (found.length === 0) return;
  const detail = `${what} may not admit liability (found: ${found.map((f) => `"${f}"`).join(', ')}); an admission goes out only in a final response approved by legal`;
  if (field) throw new InvalidInputError(detail, [{ field, message: `admits liability: ${found.join(', ')}` }]);
  throw new ConflictError(detail, { code: 'admission_of_liability', phrases: found });
};
