// Work queue: my cases, the team's, and those at risk or overdue; sorted by due date, filtered, paged by the API's cursor.
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import Button from '@cloudscape-design/components/button';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Link from '@cloudscape-design/components/link';
import Pagination from '@cloudscape-design/components/pagination';
import Select, { type SelectProps } from '@cloudscape-design/components/select';
import SegmentedControl from '@cloudscape-design/components/segmented-control';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import Box from '@cloudscape-design/components/box';
import { unwrap, useApiQuery, type CaseView } from '../../api';
import { formatTime, timeRemaining, useApiNow } from '../../clock';
import { ErrorAlert } from '../../components/ErrorAlert';
import { RiskBadge } from '../../components/RiskBadge';
import type { ComplaintsClient } from '@complaints/client';

type View = 'mine' | 'team' | 'risk';
type ListQuery = { owner?: string; status?: CaseView['status']; risk?: CaseView['risk']; regime?: string; limit: number; cursor?: string };

const PAGE = 25;
const ANY: SelectProps.Option = { value: '', label: 'Any' };
const STATUS_OPTIONS: SelectProps.Option[] = [ANY, ...['open', 'awaiting_approval', 'resolved', 'closed'].map((s) => ({ value: s, label: s.replace('_', ' ') }))];
const RISK_OPTIONS: SelectProps.Option[] = [ANY, { value: 'on_track', label: 'On track' }, { value: 'at_risk', label: 'At risk' }, { value: 'overdue', label: 'Overdue' }];

/** The regime filter's choices: every regime the API lists (each page of GET /v1/regimes), as id with its name. */
const loadRegimeOptions = async (api: ComplaintsClient): Promise<SelectProps.Option[]> => {
  const options: SelectProps.Option[] = [ANY];
  let cursor: string | undefined;
  do {
    const page = await unwrap(api.GET('/v1/regimes', { params: { query: { limit: 100, ...(cursor ? { cursor } : {}) } } }));
    options.push(...page.items.map((r) => ({ value: r.id, label: r.id, description: r.name })));
    cursor = page.nextCursor;
  } while (cursor);
  return options;
};

/** One page of the view: "at risk / overdue" asks for both risks (each with its own cursor) and merges them by due date. */
const loadPage = async (api: ComplaintsClient, view: View, base: ListQuery, cursors: Record<string, string | null | undefined>) => {
  const list = (query: ListQuery) => unwrap(api.GET('/v1/complaints', { params: { query } }));
  if (view !== 'risk') {
    const page = await list({ ...base, ...(cursors.main ? { cursor: cursors.main } : {}) });
    return { items: page.items, next: page.nextCursor ? { main: page.nextCursor } : undefined };
  }
  const parts = await Promise.all(
    (['overdue', 'at_risk'] as const).map(async (risk) => {
      if (cursors[risk] === null) return { risk, items: [] as CaseView[], nextCursor: undefined };
      const page = await list({ ...base, risk, ...(cursors[risk] ? { cursor: cursors[risk] } : {}) });
      return { risk, items: page.items, nextCursor: page.nextCursor };
    }),
  );
  const items = parts.flatMap((p) => p.items).sort((a, b) => a.finalResponseDueAt.localeCompare(b.finalResponseDueAt));
  const more = parts.some((p) => p.nextCursor);
  return { items, next: more ? Object.fromEntries(parts.map((p) => [p.risk, p.nextCursor ?? null])) : undefined };
};

const QueuePage = () => {
  const navigate = useNavigate();
  const [view, setView] = useState<View>('mine');
  const [status, setStatus] = useState<SelectProps.Option>(ANY);
  const [risk, setRisk] = useState<SelectProps.Option>(ANY);
  const [owner, setOwner] = useState('');
  const [regime, setRegime] = useState<SelectProps.Option>(ANY);
  const regimes = useApiQuery(loadRegimeOptions, []);
  // The cursor that opens each page seen so far: page n+1 is reachable once page n answered a nextCursor.
  const [pages, setPages] = useState<Record<string, string | null | undefined>[]>([{}]);
  const [pageIndex, setPageIndex] = useState(0);

  const base: ListQuery = useMemo(
    () => ({
      limit: PAGE,
      ...(view === 'mine' ? { owner: 'me' } : owner.trim() ? { owner: owner.trim() } : {}),
      ...(status.value ? { status: status.value as CaseView['status'] } : {}),
      ...(view !== 'risk' && risk.value ? { risk: risk.value as CaseView['risk'] } : {}),
      ...(regime.value ? { regime: regime.value } : {}),
    }),
    [view, owner, status, risk, regime],
  );
  const cursors = pages[pageIndex] ?? {};
  const q = useApiQuery((api) => loadPage(api, view, base, cursors), [view, base, cursors]);
  const now = useApiNow(q.data);
  const resetPaging = () => {
    setPages([{}]);
    setPageIndex(0);
  };
  const rows = q.data?.items ?? [];
  const hasNext = Boolean(q.data?.next);

  return (
    <SpaceBetween size="m">
      <Header variant="h1" description="Sorted by final response due date, soonest first.">
        Work queue
      </Header>
      <ErrorAlert error={q.error} />
      <Table<CaseView>
        ariaLabels={{ tableLabel: 'Cases' }}
        loading={q.loading}
        loadingText="Loading cases"
        items={rows}
        trackBy="id"
        variant="full-page"
        header={
          <Header
            counter={q.data ? `(${rows.length}${hasNext ? '+' : ''})` : ''}
            actions={
              <Button iconName="refresh" ariaLabel="Refresh" onClick={q.reload}>
                Refresh
              </Button>
            }
          >
            {view === 'mine' ? 'My cases' : view === 'team' ? 'Team' : 'At risk / overdue'}
          </Header>
        }
        filter={
          <SpaceBetween size="s" direction="horizontal" alignItems="end">
            <SegmentedControl
              label="View"
              selectedId={view}
              options={[
                { id: 'mine', text: 'My cases' },
                { id: 'team', text: 'Team' },
                { id: 'risk', text: 'At risk / overdue' },
              ]}
              onChange={(e) => {
                setView(e.detail.selectedId as View);
                resetPaging();
              }}
            />
            <FormField label="Status">
              <Select selectedOption={status} options={STATUS_OPTIONS} onChange={(e) => (setStatus(e.detail.selectedOption), resetPaging())} ariaLabel="Status filter" />
            </FormField>
            {view !== 'risk' ? (
              <FormField label="Risk">
                <Select selectedOption={risk} options={RISK_OPTIONS} onChange={(e) => (setRisk(e.detail.selectedOption), resetPaging())} ariaLabel="Risk filter" />
              </FormField>
            ) : null}
            <FormField label="Regime">
              <Select
                selectedOption={regime}
                options={regimes.data ?? [ANY]}
                statusType={regimes.loading ? 'loading' : regimes.error ? 'error' : 'finished'}
                loadingText="Loading regimes"
                errorText={regimes.error ? `Regimes could not be loaded: ${regimes.error.message}` : undefined}
                onChange={(e) => (setRegime(e.detail.selectedOption), resetPaging())}
                ariaLabel="Regime filter"
              />
            </FormField>
            {view !== 'mine' ? (
              <FormField label="Owner">
                <Input value={owner} placeholder="user id or me" onChange={(e) => (setOwner(e.detail.value), resetPaging())} ariaLabel="Owner filter" />
              </FormField>
            ) : null}
          </SpaceBetween>
        }
        pagination={
          <Pagination
            currentPageIndex={pageIndex + 1}
            pagesCount={pages.length}
            openEnd={hasNext}
            ariaLabels={{ nextPageLabel: 'Next page', previousPageLabel: 'Previous page', pageLabel: (n) => `Page ${n}` }}
            // onChange moves the page; the next page's cursor is recorded here the first time it is reached.
            onNextPageClick={() => {
              const next = q.data?.next;
              if (next && pageIndex + 1 >= pages.length) setPages((p) => [...p, next]);
            }}
            onChange={(e) => setPageIndex(e.detail.currentPageIndex - 1)}
          />
        }
        empty={<Box textAlign="center">No cases in this view.</Box>}
        columnDefinitions={[
          {
            id: 'reference',
            header: 'Reference',
            cell: (c) => (
              <Link href={`${import.meta.env.BASE_URL}cases/${c.id}`} onFollow={(e) => (e.preventDefault(), void navigate(`/cases/${c.id}`))}>
                {c.reference}
              </Link>
            ),
            isRowHeader: true,
          },
          { id: 'customer', header: 'Customer', cell: (c) => c.customer.name },
          { id: 'category', header: 'Category', cell: (c) => c.category.replace(/_/g, ' ') },
          { id: 'regime', header: 'Regime', cell: (c) => c.regime },
          { id: 'owner', header: 'Owner', cell: (c) => c.ownerId },
          { id: 'status', header: 'Status', cell: (c) => c.status.replace('_', ' ') },
          {
            id: 'due',
            header: 'Due',
            cell: (c) => (
              <span>
                {formatTime(c.finalResponseDueAt)}
                <br />
                <Box variant="small" color={c.risk === 'overdue' ? 'text-status-error' : 'text-body-secondary'}>
                  {c.status === 'resolved' || c.status === 'closed' ? 'responded' : timeRemaining(c.finalResponseDueAt, now)}
                </Box>
              </span>
            ),
          },
          { id: 'risk', header: 'Risk', cell: (c) => <RiskBadge risk={c.risk} /> },
        ]}
      />
    </SpaceBetween>
  );
};

export default QueuePage;
