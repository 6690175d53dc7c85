// Deadline board and reports: live deadlines, KPIs by month and by group (charts, CSV), the 0–12 control score, the control review and the regulator return.
import { useState } from 'react';
import BarChart from '@cloudscape-design/components/bar-chart';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import Select, { type SelectProps } from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import Tabs from '@cloudscape-design/components/tabs';
import type { ComplaintsClient } from '@complaints/client';
import { ApiError, toDisplayError, unwrap, useApi, useApiQuery, type DisplayError, type Schemas } from '../../api';
import { formatTime } from '../../clock';
import { ErrorAlert } from '../../components/ErrorAlert';
import { lastMonths, saveFile } from './download';

/** The JSON answer of a route that also speaks CSV (the typed client's data is then `T | string`). */
const json = async <T,>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<Exclude<T, string>> => {
  const data = await unwrap(call);
  if (typeof data === 'string') throw new ApiError({ status: 0, kind: 'other', message: 'The API answered CSV where JSON was asked for' });
  return data as Exclude<T, string>;
};

const pct = (r: { rate: number | null } | undefined) => (r?.rate == null ? '—' : `${(r.rate * 100).toFixed(1)} %`);

/** A report's CSV representation (the API negotiates on Accept), saved as a file. */
const useCsv = () => {
  const api = useApi();
  const [error, setError] = useState<DisplayError | undefined>();
  const download = async (name: string, call: (c: ComplaintsClient) => Promise<{ data?: unknown; error?: unknown; response: Response }>) => {
    setError(undefined);
    try {
      const r = await call(api);
      if (!r.response.ok || typeof r.data !== 'string') throw new ApiError(toDisplayError(r.error, r.response));
      saveFile(name, r.data, 'text/csv');
    } catch (err) {
      setError(err instanceof ApiError ? err.display : toDisplayError(err));
    }
  };
  return { download, error };
};
const CSV = { headers: { accept: 'text/csv' }, parseAs: 'text' as const };

const DeadlineBoard = () => {
  const q = useApiQuery((c) => unwrap(c.GET('/v1/reports/deadlines')), []);
  const b = q.data;
  const cols = (key: 'ownerId' | 'regime') => [
    { id: key, header: key === 'ownerId' ? 'Owner' : 'Regime', cell: (r: Record<string, string | number>) => String(r[key]) },
    ...(['open', 'running', 'paused', 'dueToday', 'dueThisWeek', 'atRisk', 'overdue'] as const).map((k) => ({ id: k, header: k.replace(/([A-Z])/g, ' $1').toLowerCase(), cell: (r: Record<string, string | number>) => r[k] ?? 0 })),
  ];
  return (
    <SpaceBetween size="m">
      <ErrorAlert error={q.error} />
      {b ? (
        <Container header={<Header variant="h2" description={`As of ${formatTime(b.asOf)} (${b.timeZone})`}>Deadline board</Header>}>
          <KeyValuePairs columns={4} items={Object.entries(b.totals).map(([label, value]) => ({ label: label.replace(/([A-Z])/g, ' $1').toLowerCase(), value: String(value) }))} />
        </Container>
      ) : null}
      <Table variant="container" header={<Header variant="h3">By owner</Header>} loading={q.loading} items={b?.byOwner ?? []} columnDefinitions={cols('ownerId')} empty="No open cases" />
      <Table variant="container" header={<Header variant="h3">By regime</Header>} loading={q.loading} items={b?.byRegime ?? []} columnDefinitions={cols('regime')} empty="No open cases" />
    </SpaceBetween>
  );
};

type MonthKpis = { month: string; from: string; to: string; report: Schemas['KpiReport'] };

/** The monthly table's columns, as CSV columns too (named like the API's KPI CSV). */
const MONTH_COLUMNS: { id: string; header: string; value: (m: MonthKpis) => string | number; shown?: (m: MonthKpis) => string }[] = [
  { id: 'month', header: 'Month', value: (m) => m.month },
  { id: 'received', header: 'Received', value: (m) => m.report.totals.received },
  { id: 'responded', header: 'Responded', value: (m) => m.report.totals.responded },
  { id: 'responded_within_deadline', header: 'Within deadline', value: (m) => m.report.totals.respondedWithinDeadline.count },
  { id: 'responded_within_deadline_rate', header: 'Within deadline (rate)', value: (m) => m.report.totals.respondedWithinDeadline.rate ?? '', shown: (m) => pct(m.report.totals.respondedWithinDeadline) },
  { id: 'closed', header: 'Closed', value: (m) => m.report.totals.closed },
  { id: 'reopened', header: 'Reopened', value: (m) => m.report.totals.reopened },
];

/** The monthly figures as CSV (RFC 4180, CRLF): one row per month, from and to the range each month's report covers. */
const monthlyCsv = (months: MonthKpis[]): string => {
  const cell = (v: string | number) => (typeof v === 'number' ? String(v) : /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const rows = [
    ['month', 'from', 'to', ...MONTH_COLUMNS.slice(1).map((c) => c.id)],
    ...months.map((m) => [m.month, m.report.from, m.report.to, ...MONTH_COLUMNS.slice(1).map((c) => c.value(m))]),
  ];
  return rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
};

const GROUPS: SelectProps.Option[] = ['regime', 'category', 'product', 'channel', 'outcome'].map((g) => ({ value: g, label: g }));
type GroupBy = 'regime' | 'category' | 'product' | 'channel' | 'outcome';

const Kpis = ({ today }: { today: string }) => {
  const [groupBy, setGroupBy] = useState<SelectProps.Option>(GROUPS[0]!);
  const months = lastMonths(today, 6);
  const byMonth = useApiQuery(
    (c) => Promise.all(months.map(async (m): Promise<MonthKpis> => ({ ...m, report: await json(c.GET('/v1/reports/kpis', { params: { query: { from: m.from, to: m.to } } })) }))),
    [today],
  );
  const byGroup = useApiQuery((c) => json(c.GET('/v1/reports/kpis', { params: { query: { groupBy: groupBy.value as GroupBy } } })), [groupBy]);
  const csv = useCsv();
  const monthly = byMonth.data ?? [];
  return (
    <SpaceBetween size="m">
      <ErrorAlert error={byMonth.error ?? byGroup.error ?? csv.error} />
      <Container
        header={
          <Header
            variant="h2"
            description="Received and answered within the deadline, per calendar month"
            actions={
              <Button iconName="download" ariaLabel="Download monthly KPIs as CSV" disabled={!byMonth.data} onClick={() => saveFile('kpis-by-month.csv', monthlyCsv(monthly), 'text/csv')}>
                Download CSV
              </Button>
            }
          >
            KPIs by month
          </Header>
        }
      >
        <SpaceBetween size="s">
          <BarChart
            ariaLabel="KPIs by month"
            statusType={byMonth.loading ? 'loading' : 'finished'}
            series={[
              { title: 'Received', type: 'bar', data: monthly.map((m) => ({ x: m.month, y: m.report.totals.received })) },
              { title: 'Responded within deadline', type: 'bar', data: monthly.map((m) => ({ x: m.month, y: m.report.totals.respondedWithinDeadline.count })) },
            ]}
            xScaleType="categorical"
            xTitle="Month"
            yTitle="Cases"
            height={220}
            hideFilter
            empty={<Box textAlign="center">No data</Box>}
          />
          <Table
            ariaLabels={{ tableLabel: 'KPIs by month' }}
            items={monthly}
            loading={byMonth.loading && !byMonth.data}
            trackBy="month"
            columnDefinitions={MONTH_COLUMNS.map((c) => ({
              id: c.id,
              header: c.header,
              cell: (m: MonthKpis) => (c.shown ?? c.value)(m),
              ...(c.id === 'month' ? { isRowHeader: true } : {}),
            }))}
            empty="No months"
          />
        </SpaceBetween>
      </Container>
      <Container
        header={
          <Header
            variant="h2"
            actions={
              <Button iconName="download" onClick={() => void csv.download(`kpis-by-${String(groupBy.value)}.csv`, (c) => c.GET('/v1/reports/kpis', { params: { query: { groupBy: groupBy.value as GroupBy } }, ...CSV }))}>
                Download CSV
              </Button>
            }
          >
            KPIs by group
          </Header>
        }
      >
        <SpaceBetween size="s">
          <FormField label="Group by">
            <Select selectedOption={groupBy} options={GROUPS} onChange={({ detail }) => setGroupBy(detail.selectedOption)} />
          </FormField>
          <BarChart
            ariaLabel="KPIs by group"
            statusType={byGroup.loading ? 'loading' : 'finished'}
            series={[{ title: 'Received', type: 'bar', data: (byGroup.data?.groups ?? []).map((g) => ({ x: g.value, y: g.received })) }]}
            xScaleType="categorical"
            height={220}
            hideFilter
            empty={<Box textAlign="center">No data</Box>}
          />
          <Table
            items={byGroup.data?.groups ?? []}
            loading={byGroup.loading}
            columnDefinitions={[
              { id: 'value', header: String(groupBy.label), cell: (g) => g.value },
              { id: 'received', header: 'Received', cell: (g) => g.received },
              { id: 'responded', header: 'Responded', cell: (g) => g.responded },
              { id: 'within', header: 'Within deadline', cell: (g) => pct(g.respondedWithinDeadline) },
              { id: 'overdue', header: 'Overdue now', cell: (g) => g.overdueNow },
            ]}
            empty="No cases in the range"
          />
        </SpaceBetween>
      </Container>
    </SpaceBetween>
  );
};

const ControlScore = () => {
  const q = useApiQuery((c) => unwrap(c.GET('/v1/reports/control-score')), []);
  const s = q.data;
  return (
    <SpaceBetween size="m">
      <ErrorAlert error={q.error} />
      {s ? (
        <Container header={<Header variant="h2" description={`${s.from} to ${s.to} · ${s.advice}`}>Control score {s.total} / 12 ({s.band.replace(/_/g, ' ')})</Header>}>
          <Table<Schemas['ControlItem']>
            variant="embedded"
            items={s.items}
            columnDefinitions={[
              { id: 'item', header: 'Item', cell: (i) => i.item },
              { id: 'score', header: 'Score (0–2)', cell: (i) => i.score },
              { id: 'rule', header: 'Rule', cell: (i) => i.rule },
              { id: 'measured', header: 'Measured', cell: (i) => Object.entries(i.measured).map(([k, v]) => `${k}: ${v ?? '—'}`).join(', ') },
            ]}
          />
        </Container>
      ) : null}
    </SpaceBetween>
  );
};

const ControlReview = () => {
  const q = useApiQuery((c) => json(c.GET('/v1/reports/control-review', { params: { query: { last: 20 } } })), []);
  const csv = useCsv();
  const r = q.data;
  return (
    <SpaceBetween size="m">
      <ErrorAlert error={q.error ?? csv.error} />
      {r ? (
        <KeyValuePairs
          columns={4}
          items={[
            { label: 'Cases', value: String(r.summary.cases) },
            { label: 'With a missed deadline', value: String(r.summary.withMissedDeadline) },
            { label: 'Evidence complete', value: pct(r.summary.evidenceComplete) },
            { label: 'Approvals visible', value: pct(r.summary.approvalVisible) },
          ]}
        />
      ) : null}
      <Table<Schemas['ControlReviewRow']>
        variant="container"
        header={
          <Header variant="h2" actions={<Button iconName="download" onClick={() => void csv.download('control-review.csv', (c) => c.GET('/v1/reports/control-review', { params: { query: { last: 20 } }, ...CSV }))}>Download CSV</Button>}>
            Control review of the last 20 cases
          </Header>
        }
        loading={q.loading}
        items={r?.cases ?? []}
        columnDefinitions={[
          { id: 'reference', header: 'Reference', cell: (c) => c.reference },
          { id: 'status', header: 'Status', cell: (c) => c.status },
          { id: 'missed', header: 'Missed deadlines', cell: (c) => c.missedDeadlines },
          { id: 'handoffs', header: 'Handoffs', cell: (c) => c.handoffs },
          { id: 'evidence', header: 'Evidence complete', cell: (c) => (c.evidence.complete ? 'yes' : 'no') },
          { id: 'approvals', header: 'Approvals', cell: (c) => `${c.approvals.approved}/${c.approvals.required} ${c.approvals.status}` },
          { id: 'reopens', header: 'Reopens', cell: (c) => c.reopenCount },
        ]}
        empty="No cases yet"
      />
    </SpaceBetween>
  );
};

const RegulatorReturn = ({ today }: { today: string }) => {
  const api = useApi();
  const [regime, setRegime] = useState('UK_FCA_DISP');
  const [period, setPeriod] = useState(`${today.slice(0, 4)}-H${Number(today.slice(5, 7)) <= 6 ? 1 : 2}`);
  const [preview, setPreview] = useState<Schemas['RegulatorReturn'] | undefined>();
  const [error, setError] = useState<DisplayError | undefined>();
  const csv = useCsv();
  const load = async () => {
    setError(undefined);
    try {
      setPreview(await json(api.GET('/v1/reports/returns', { params: { query: { regime, period } } })));
    } catch (err) {
      setPreview(undefined);
      setError(err instanceof ApiError ? err.display : toDisplayError(err));
    }
  };
  const rows = preview && 'rows' in preview ? (preview.rows as unknown as Record<string, unknown>[]) : [];
  const keys = rows[0] ? Object.keys(rows[0]).filter((k) => typeof rows[0]![k] !== 'object') : [];
  return (
    <SpaceBetween size="m">
      <ErrorAlert error={error ?? csv.error} />
      <ColumnLayout columns={3}>
        <FormField label="Regime">
          <Input value={regime} onChange={({ detail }) => setRegime(detail.value)} />
        </FormField>
        <FormField label="Period" description="YYYY-H1, YYYY-Qn, YYYY-MM, YYYY">
          <Input value={period} onChange={({ detail }) => setPeriod(detail.value)} />
        </FormField>
        <SpaceBetween direction="horizontal" size="xs">
          <Button variant="primary" onClick={() => void load()}>
            Preview
          </Button>
          <Button iconName="download" onClick={() => void csv.download(`return-${regime}-${period.replace('/', '_')}.csv`, (c) => c.GET('/v1/reports/returns', { params: { query: { regime, period } }, ...CSV }))}>
            Download CSV
          </Button>
          <Button iconName="download" disabled={!preview} onClick={() => preview && saveFile(`return-${regime}-${period.replace('/', '_')}.json`, JSON.stringify(preview, null, 2), 'application/json')}>
            Download JSON
          </Button>
        </SpaceBetween>
      </ColumnLayout>
      {preview ? (
        <Table
          variant="container"
          header={<Header variant="h2" description={`format ${preview.format}`}>Return preview</Header>}
          items={rows}
          columnDefinitions={keys.map((k) => ({ id: k, header: k, cell: (r: Record<string, unknown>) => { const v = r[k]; return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '—'; } }))}
          empty="No rows for this period"
        />
      ) : null}
    </SpaceBetween>
  );
};

const ReportsPage = () => {
  const [tab, setTab] = useState('deadlines');
  // "Today" as the API's clock sees it: the deadline board's asOf (local mode moves the clock in tests).
  const board = useApiQuery((c) => unwrap(c.GET('/v1/reports/deadlines')), []);
  const today = board.data?.asOf.slice(0, 10);
  return (
    <SpaceBetween size="m">
      <Header variant="h1">Deadlines and reports</Header>
      <Tabs
        activeTabId={tab}
        onChange={({ detail }) => setTab(detail.activeTabId)}
        tabs={[
          { id: 'deadlines', label: 'Deadline board', content: <DeadlineBoard /> },
          { id: 'kpis', label: 'KPIs', content: today ? <Kpis today={today} /> : <ErrorAlert error={board.error} /> },
          { id: 'control', label: 'Control score', content: <ControlScore /> },
          { id: 'review', label: 'Control review', content: <ControlReview /> },
          { id: 'return', label: 'Regulator return', content: today ? <RegulatorReturn today={today} /> : <ErrorAlert error={board.error} /> },
        ]}
      />
    </SpaceBetween>
  );
};

export default ReportsPage;
