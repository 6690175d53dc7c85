// Approvals inbox: the stages open for this user's decision (the API never lists their own cases); approve or reject with a comment.
import { useState } from 'react';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import Textarea from '@cloudscape-design/components/textarea';
import { useNavigate } from 'react-router-dom';
import { ApiError, ifMatch, toDisplayError, unwrap, useApi, useApiQuery, type DisplayError, type Schemas } from '../../api';
import { formatTime } from '../../clock';
import { ErrorAlert } from '../../components/ErrorAlert';

type Approval = Schemas['Approval'];

const ApprovalsPage = () => {
  const api = useApi();
  const navigate = useNavigate();
  const q = useApiQuery((c) => unwrap(c.GET('/v1/approvals', { params: { query: { limit: 50 } } })), []);
  const [selected, setSelected] = useState<Approval | undefined>();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<DisplayError | undefined>();
  const [done, setDone] = useState<string | undefined>();

  const decide = async (decision: 'approve' | 'reject') => {
    if (!selected) return;
    setBusy(true);
    setError(undefined);
    try {
      // If-Match takes the case's version: read the case, then decide on exactly that version.
      const current = await unwrap(api.GET('/v1/complaints/{id}', { params: { path: { id: selected.caseId } } }));
      const decided = await unwrap(
        api.POST('/v1/approvals/{approvalId}/decision', {
          params: { path: { approvalId: selected.id }, header: ifMatch(current.version) },
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
        header={<Header counter={q.data ? `(${q.data.items.length})` : undefined}>Pending stages</Header>}
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
        columnDefinitions={[
          { id: 'case', header: 'Case', cell: (a) => <Link href={`/console/cases/${a.caseId}`} onFollow={(e) => { e.preventDefault(); void navigate(`/cases/${a.caseId}?tab=resolution`); }}>{a.caseId}</Link> },
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
            <ErrorAlert error={error} onDismiss={() => setError(undefined)} />
            <FormField label="Comment" description="Required to reject: it goes back to the case owner.">
              <Textarea value={comment} onChange={({ detail }) => setComment(detail.value)} ariaLabel="Comment" />
            </FormField>
            <SpaceBetween direction="horizontal" size="xs">
              <Button variant="primary" loading={busy} onClick={() => void decide('approve')}>
                Approve
              </Button>
              <Button loading={busy} disabled={!comment.trim()} onClick={() => void decide('reject')}>
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
