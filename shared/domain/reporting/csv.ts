// CSV cells of every report (control review, KPIs, returns): the one place where a text cell is neutralised against
// formula injection, and the RFC 4180 field rule the hand-built return CSV uses.

/** What a spreadsheet treats as the start of a formula (OWASP "CSV Injection"): =, +, -, @, tab and carriage return. */
export const FORMULA_TRIGGERS: readonly string[] = ['=', '+', '-', '@', '\t', '\r'];

/**
 * A text cell that starts like a formula gets a leading apostrophe (OWASP's rule), so Excel, LibreOffice and Google
 * Sheets show it as text: an owner id `+1+cmd` or a product `=HYPERLINK(…)` can never run. Text only: a cell the
 * report holds as a number (a count, a rate, a figure) is written as the number it is (see reviewCsv's test for why
 * a negative number is not prefixed: it is data we computed, never text a user wrote, and prefixing would make it text).
 */
export const neutraliseCell = (s: string): string => (s.length > 0 && FORMULA_TRIGGERS.includes(s[0]!) ? `'${s}` : s);

export type CsvValue = string | number | null;

/** One RFC 4180 field: text neutralised, then quoted when it holds a comma, a quote, CR or LF (quotes doubled); null is empty. */
export const csvField = (v: CsvValue): string => {
  const s = v === null ? '' : typeof v === 'number' ? String(v) : neutraliseCell(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
