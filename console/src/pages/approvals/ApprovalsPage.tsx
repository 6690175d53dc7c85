// Approvals inbox: the stages open for this user's decision (the API never lists their own cases); approve or reject with a comment.
import { useState } from 'react';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import Pagination from '@cloudscape-design/components/pagination';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import Textarea from '@cloudscape-design/components/textarea';
import { useNavigate } from 'react-router-dom';
import type { ComplaintsClient } from '@complaints/client';
import { ApiError, ifMatch, toDisplayError, unwrap, useApi, useApiQuery, type DisplayError, type Schemas } from '../../api';
import { formatTime } from '../../clock';
import { ErrorAlert } from '../../components/ErrorAlert';

type Approval = Schemas['Approval'];

/** Stages per inbox page; further pages follow the API's cursor. */
export const INBOX_PAGE = 20;

/** One page of the inbox as loaded: the stages, and what was read of each listed case with them (what the approver saw). */
interface Inbox {
  items: Approval[];
  /** Case id → version read when the inbox loaded; a decision is made on exactly that version (If-Match). */
  versions: ReadonlyMap<string, number>;
  /** Case id → its reference, shown instead of the id where the case could be read. */
  references: ReadonlyMap<string, string>;
  nextCursor?: string | undefined;
}

const loadInbox = async (api: ComplaintsClient, cursor: string | undefined): Promise<Inbox> => {
  const page = await unwrap(api.GET('/v1/approvals', { params: { query: { limit: INBOX_PAGE, ...(cursor ? { cursor } : {}) } } }));
  const caseIds = [...new Set(page.items.map((a) => a.caseId))];
  // A case that cannot be read now simply has no version: its stage then asks for a reload instead of deciding blind.
  const read = await Promise.allSettled(caseIds.map((id) => unwrap(api.GET('/v1/complaints/{id}', { params: { path: { id } } }))));
  const versions = new Map<string, number>();
  const references = new Map<string, string>();
  for (const r of read) {
    if (r.status !== 'fulfilled') continue;
    versions.set(r.value.id, r.value.version);
    references.set(r.value.id, r.value.reference);
  }
  return { items: page.items, versions, references, nextCursor: page.nextCursor };
};

const NOT_LOADED: DisplayError = { status: 0, kind: 'stale', message: 'The case of this stage could not be read with the inbox; reload before deciding. What you typed is kept.' };

const ApprovalsPage = () => {
  const api = useApi();
  const navigate = useNavigate();
  // The cursor that opens each page seen so far (undefined: the first); page n+1 is reachable once page n named one.
  const [pages, setPages] = useState<(string | undefined)[]>([undefined]);
  const [pageIndex, setPageIndex] = useState(0);
  const cursor = pages[pageIndex];
  const q = useApiQuery((client) => loadInbox(client, cursor), [cursor]);
  const [selected, setSelected] = useState<Approval | undefined>();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<DisplayError | undefined>();
  const [done, setDone] = useState<string | undefined>();

  // Reads the inbox and its cases' versions again; the selected stage and the typed comment stay.
  const reloadInbox = () => {
    setError(undefined);
    q.reload();
  };

  const decide = async (decision: 'approve' | 'reject') => {
    if (!selected) return;
    // If-Match is the case version read when the inbox loaded, not one read now: a case changed since the approver
    // looked at it answers 412, and they reload to see the change before deciding.
    const seen = q.data?.versions.get(selected.caseId);
    if (seen === undefined) return setError(NOT_LOADED);
    setBusy(true);
    setError(undefined);
    try {
      const decided = await unwrap(
        api.POST('/v1/approvals/{approvalId}/decision', {
          params: { path: { approvalId: selected.id }, header: ifMatch(seen) },
          body: { decision, ...(comment.trim() ? { comment: comment.trim() } : {}) },
        }),
      );
      setDone(`Stage ${decided.stage} (${decided.role}) ${decided.status}.`);
      setSelected(undefined);
      setComment('');
      q.reload();
    } catch (err) {
      setError(err instanceof ApiError ? err.display : toDisplayError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <SpaceBetween size="m">
      <Header variant="h1" description="Approval stages waiting for your decision. Cases you own or proposed are never listed here.">
        Approvals
      </Header>
      <ErrorAlert error={q.error} />
      {done ? (
        <Box variant="p" data-testid="approval-result">
          {done}
        </Box>
      ) : null}
      <Table<Approval>
        variant="container"
        header={<Header counter={q.data ? `(${q.data.items.length}${q.data.nextCursor || pageIndex > 0 ? ` on page ${pageIndex + 1}` : ''})` : undefined}>Pending stages</Header>}
        loading={q.loading}
        loadingText="Loading approvals"
        items={q.data?.items ?? []}
        selectionType="single"
        selectedItems={selected ? [selected] : []}
        onSelectionChange={({ detail }) => {
          setSelected(detail.selectedItems[0]);
          setError(undefined);
          setDone(undefined);
        }}
        trackBy="id"
        ariaLabels={{ selectionGroupLabel: 'Pending stages', itemSelectionLabel: (_, a) => `Stage ${a.stage} of case ${a.caseId}`, allItemsSelectionLabel: () => 'all' }}
        empty={<Box textAlign="center">Nothing waits for your decision.</Box>}
        pagination={
          <Pagination
            currentPageIndex={pageIndex + 1}
            pagesCount={pages.length}
            openEnd={Boolean(q.data?.nextCursor)}
            ariaLabels={{ nextPageLabel: 'Next page', previousPageLabel: 'Previous page', pageLabel: (n) => `Page ${n}` }}
            // The next page's cursor is recorded the first time it is reached; a selection stays on its own page.
            onNextPageClick={() => {
              const next = q.data?.nextCursor;
              if (next && pageIndex + 1 >= pages.length) setPages((p) => [...p, next]);
            }}
            onChange={(e) => (setPageIndex(e.detail.currentPageIndex - 1), setSelected(undefined))}
          />
        }
        columnDefinitions={[
          { id: 'case', header: 'Case', cell: (a) => <Link href={`/console/cases/${a.caseId}`} onFollow={(e) => { e.preventDefault(); void navigate(`/cases/${a.caseId}?tab=resolution`); }}>{q.data?.references.get(a.caseId) ?? a.caseId}</Link> },
          { id: 'stage', header: 'Stage', cell: (a) => `${a.stage} · ${a.role}` },
          { id: 'reasons', header: 'Why approval is needed', cell: (a) => a.reasons.map((r) => r.detail).join('; ') || '—' },
          { id: 'proposedBy', header: 'Proposed by', cell: (a) => a.proposedBy },
          { id: 'created', header: 'Requested', cell: (a) => formatTime(a.createdAt) },
          { id: 'due', header: 'Escalates', cell: (a) => formatTime(a.dueAt) },
        ]}
      />
      {selected ? (
        <Container header={<Header variant="h2">Decide stage {selected.stage} of case {selected.caseId}</Header>}>
          <SpaceBetween size="s">
            <ErrorAlert error={error} onReload={reloadInbox} onDismiss={() => setError(undefined)} />
            <FormField label="Comment" description="Required to reject: it goes back to the case owner.">
              <Textarea value={comment} onChange={({ detail }) => setComment(detail.value)} ariaLabel="Comment" />
            </FormField>
            <SpaceBetween direction="horizontal" size="xs">
              {/* While the inbox (and so the versions it decides on) is read again, no decision goes out. */}
              <Button variant="primary" loading={busy} disabled={q.loading} onClick={() => void decide('approve')}>
                Approve
              </Button>
              <Button loading={busy} disabled={!comment.trim() || q.loading} onClick={() => void decide('reject')}>
                Reject
              </Button>
            </SpaceBetween>
          </SpaceBetween>
        </Container>
      ) : null}
    </SpaceBetween>
  );
};

export default ApprovalsPage;
