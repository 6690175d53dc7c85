// Resolution: propose the outcome, follow its approval stages (decide one when it is yours), send the final response, close.
import { useState } from 'react';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator, { type StatusIndicatorProps } from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import Textarea from '@cloudscape-design/components/textarea';
import type { ComplaintsClient } from '@complaints/client';
import { unwrap, useApiQuery, type Schemas } from '../../api';
import { formatTime } from '../../clock';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useCase, useCaseAction } from './caseContext';

type Decision = Schemas['ProposeResolution']['decision'];
const DECISIONS: Decision[] = ['upheld', 'partially_upheld', 'not_upheld'];
const words = (s: string) => s.replace(/_/g, ' ');

/** The case's resolution summary as the API stores it on the case (id, round, status, stages, approvedStages). */
interface ResolutionSummary {
  id: string | undefined;
  status: string | undefined;
  decision: string | undefined;
  stages: number | undefined;
  approvedStages: number | undefined;
  round: number | undefined;
}
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
const summaryOf = (r: Record<string, unknown> | undefined): ResolutionSummary | undefined =>
  r ? { id: str(r.id), status: str(r.status), decision: str(r.decision), stages: num(r.stages), approvedStages: num(r.approvedStages), round: num(r.round) } : undefined;

type Stage = Schemas['CaseApproval'];
/** What the table shows of a stage's status: the API's status, and "waiting" for a pending stage not yet open (`open`). */
type StageState = Stage['status'] | 'waiting';
const stateOf = (s: Stage): StageState => (s.status === 'pending' && !s.open ? 'waiting' : s.status);

/** An instant as the console shows it, with the exact one in its datetime attribute. */
const Time = ({ iso }: { iso: string }) => <time dateTime={iso}>{formatTime(iso)}</time>;

/** The approval stages of the current proposal, as the API stores them (GET …/approvals?resolutionId=), every page. */
const loadStages = async (api: ComplaintsClient, caseId: string, resolutionId: string | undefined): Promise<Stage[]> => {
  if (!resolutionId) return [];
  const stages: Stage[] = [];
  let cursor: string | undefined;
  do {
    const page = await unwrap(api.GET('/v1/complaints/{id}/approvals', { params: { path: { id: caseId }, query: { resolutionId, limit: 100, ...(cursor ? { cursor } : {}) } } }));
    stages.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return stages;
};

/** Stages this user may decide now: the approvals inbox filtered to this case (the API never lists the user's own cases). */
const loadMine = async (api: ComplaintsClient, caseId: string): Promise<Schemas['Approval'][]> => {
  const mine: Schemas['Approval'][] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 10; page++) {
    const res = await unwrap(api.GET('/v1/approvals', { params: { query: { status: 'pending', limit: 100, ...(cursor ? { cursor } : {}) } } }));
    mine.push(...res.items.filter((a) => a.caseId === caseId));
    cursor = res.nextCursor;
    if (!cursor) break;
  }
  return mine;
};

const STATE: Record<StageState, StatusIndicatorProps.Type> = { pending: 'pending', waiting: 'stopped', approved: 'success', rejected: 'error', timed_out: 'warning', superseded: 'stopped' };

const Decide = ({ a }: { a: Schemas['Approval'] }) => {
  const { reload } = useCase();
  const action = useCaseAction();
  const [comment, setComment] = useState('');
  const decide = (decision: 'approve' | 'reject') =>
    action.run((api, headers) => api.POST('/v1/approvals/{approvalId}/decision', { params: { path: { approvalId: a.id } }, headers, body: { decision, ...(comment.trim() ? { comment: comment.trim() } : {}) } }));
  return (
    <Container header={<Header variant="h3" description={a.reasons.map((r) => r.detail).join('; ')}>{`Your decision: stage ${a.stage} (${a.role})`}</Header>}>
      <SpaceBetween size="s">
        <ErrorAlert error={action.error} onReload={reload} onDismiss={action.clear} />
        <FormField label="Approval comment" description="Required to reject">
          <Textarea value={comment} onChange={(e) => setComment(e.detail.value)} ariaLabel="Approval comment" rows={2} />
        </FormField>
        <SpaceBetween size="xs" direction="horizontal">
          <Button variant="primary" loading={action.pending} onClick={() => void decide('approve')}>
            Approve
          </Button>
          <Button disabled={!comment.trim()} loading={action.pending} onClick={() => void decide('reject')}>
            Reject
          </Button>
        </SpaceBetween>
      </SpaceBetween>
    </Container>
  );
};

const Propose = () => {
  const { c, reload } = useCase();
  const action = useCaseAction();
  const [decision, setDecision] = useState<Decision>('upheld');
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState(c.allegedLoss?.currency ?? 'GBP');
  const [remedy, setRemedy] = useState('');
  const [causeCategory, setCauseCategory] = useState('');
  const [causeText, setCauseText] = useState('');
  const [finalResponse, setFinalResponse] = useState('');
  const amountError = amount.trim() && !/^\d+(\.\d{1,2})?$/.test(amount.trim()) ? 'A decimal amount, e.g. 300.00' : undefined;
  const ready = causeCategory.trim() && causeText.trim() && finalResponse.trim() && !amountError && (!amount.trim() || remedy.trim());
  const submit = () =>
    action.run((api, headers) =>
      api.POST('/v1/complaints/{id}/resolution', {
        params: { path: { id: c.id } },
        headers,
        body: {
          decision,
          ...(remedy.trim() ? { remedy: { description: remedy.trim(), ...(amount.trim() ? { compensation: { amount: Number(amount.trim()).toFixed(2), currency: currency.trim().toUpperCase() } } : {}) } } : {}),
          rootCause: { category: causeCategory.trim(), description: causeText.trim() },
          finalResponse: finalResponse.trim(),
        },
      }),
    );
  return (
    <form onSubmit={(e) => (e.preventDefault(), void submit())}>
      <Form
        header={<Header variant="h2" description="The rules decide which approvals it needs (e.g. compensation above the threshold).">Propose the resolution</Header>}
        actions={
          <Button variant="primary" formAction="submit" disabled={!ready} loading={action.pending}>
            Propose resolution
          </Button>
        }
      >
        <Container>
          <SpaceBetween size="m">
            <ErrorAlert error={action.error} onReload={reload} onDismiss={action.clear} />
            <FormField label="Decision">
              <Select selectedOption={{ value: decision, label: words(decision) }} options={DECISIONS.map((d) => ({ value: d, label: words(d) }))} onChange={(e) => setDecision(e.detail.selectedOption.value as Decision)} ariaLabel="Decision" />
            </FormField>
            <ColumnLayout columns={2}>
              <FormField label="Compensation (optional)" {...(amountError ? { errorText: amountError } : {})}>
                <Input value={amount} inputMode="decimal" onChange={(e) => setAmount(e.detail.value)} ariaLabel="Compensation amount" placeholder="300.00" />
              </FormField>
              <FormField label="Currency">
                <Input value={currency} onChange={(e) => setCurrency(e.detail.value)} ariaLabel="Compensation currency" />
              </FormField>
            </ColumnLayout>
            <FormField label="Remedy" description="What the customer gets; required with compensation">
              <Input value={remedy} onChange={(e) => setRemedy(e.detail.value)} ariaLabel="Remedy description" />
            </FormField>
            <ColumnLayout columns={2}>
              <FormField label="Root cause category">
                <Input value={causeCategory} onChange={(e) => setCauseCategory(e.detail.value)} ariaLabel="Root cause category" placeholder="carrier_capacity" />
              </FormField>
              <FormField label="Root cause">
                <Input value={causeText} onChange={(e) => setCauseText(e.detail.value)} ariaLabel="Root cause description" />
              </FormField>
            </ColumnLayout>
            <FormField label="Final response to the customer">
              <Textarea value={finalResponse} onChange={(e) => setFinalResponse(e.detail.value)} ariaLabel="Final response text" rows={4} />
            </FormField>
          </SpaceBetween>
        </Container>
      </Form>
    </form>
  );
};

const SendFinalResponse = () => {
  const { c, reload } = useCase();
  const action = useCaseAction();
  return (
    <Container header={<Header variant="h2" description="Sends the approved final response; the deadline clock stops.">Final response</Header>}>
      <SpaceBetween size="s">
        <ErrorAlert error={action.error} onReload={reload} onDismiss={action.clear} />
        <Button variant="primary" loading={action.pending} onClick={() => void action.run((api, headers) => api.POST('/v1/complaints/{id}/final-response', { params: { path: { id: c.id } }, headers, body: { channel: 'email' } }))}>
          Send final response
        </Button>
      </SpaceBetween>
    </Container>
  );
};

const Close = () => {
  const { c, reload } = useCase();
  const action = useCaseAction();
  const [followUp, setFollowUp] = useState('');
  return (
    <form onSubmit={(e) => (e.preventDefault(), void action.run((api, headers) => api.POST('/v1/complaints/{id}/close', { params: { path: { id: c.id } }, headers, body: { followUpAction: followUp.trim() } })))}>
      <Container header={<Header variant="h2">Close the case</Header>}>
        <SpaceBetween size="s">
          <ErrorAlert error={action.error} onReload={reload} onDismiss={action.clear} />
          <FormField label="Follow-up action" description="What changes so this does not happen again">
            <Textarea value={followUp} onChange={(e) => setFollowUp(e.detail.value)} ariaLabel="Follow-up action" rows={2} />
          </FormField>
          <Button variant="primary" formAction="submit" disabled={!followUp.trim()} loading={action.pending}>
            Close case
          </Button>
        </SpaceBetween>
      </Container>
    </form>
  );
};

export const ResolutionTab = () => {
  const { c, rev, can } = useCase();
  const summary = summaryOf(c.resolution);
  const stages = useApiQuery((api) => loadStages(api, c.id, summary?.id), [c.id, summary?.id, summary?.status, rev]);
  const mine = useApiQuery((api) => (can.approve ? loadMine(api, c.id) : Promise.resolve([])), [c.id, rev, can.approve]);
  const resolutionStatus = summary?.status;
  const proposable = can.propose && c.status === 'open' && (!summary || resolutionStatus === 'rejected' || resolutionStatus === 'superseded');
  const sendable = can.finalResponse && c.status === 'open' && (resolutionStatus === 'approved' || resolutionStatus === 'not_required');
  return (
    <SpaceBetween size="l">
      <Container header={<Header variant="h2">Current resolution</Header>}>
        {summary ? (
          <KeyValuePairs
            columns={4}
            items={[
              { label: 'Decision', value: words(summary.decision ?? '—') },
              { label: 'Status', value: <span data-testid="resolution-status">{words(resolutionStatus ?? '—')}</span> },
              { label: 'Approvals', value: `${summary.approvedStages ?? 0} of ${summary.stages ?? 0} stages approved` },
              { label: 'Round', value: summary.round ?? 1 },
            ]}
          />
        ) : (
          <Box>No resolution proposed yet.</Box>
        )}
      </Container>
      {summary?.stages ? (
        <Table<Stage>
          header={<Header variant="h2" description="As the API records them: who decided, when, and what carried over from a replaced round.">Approval stages</Header>}
          ariaLabels={{ tableLabel: 'Approval stages' }}
          loading={stages.loading && !stages.data}
          items={stages.data ?? []}
          trackBy="id"
          wrapLines
          empty={<Box>No stages recorded for this proposal.</Box>}
          columnDefinitions={[
            { id: 'stage', header: 'Stage', cell: (s) => s.stage, isRowHeader: true },
            { id: 'role', header: 'Approver role', cell: (s) => s.role },
            { id: 'why', header: 'Why', cell: (s) => s.reasons.map((r) => r.detail).join('; ') },
            { id: 'status', header: 'Status', minWidth: 130, cell: (s) => <StatusIndicator type={STATE[stateOf(s)]}>{words(stateOf(s))}</StatusIndicator> },
            { id: 'decided', header: 'Decided', cell: (s) => (s.decidedAt ? <>{s.decidedBy ? `by ${s.decidedBy}, ` : ''}<Time iso={s.decidedAt} /></> : '—') },
            { id: 'comment', header: 'Comment', cell: (s) => s.comment ?? '—' },
            { id: 'carried', header: 'Carried from', cell: (s) => (s.carriedFrom ? `approval ${s.carriedFrom}` : '—') },
            { id: 'level', header: 'Escalation level', cell: (s) => s.escalationLevel },
            { id: 'due', header: 'Due', cell: (s) => (s.open && s.dueAt ? <Time iso={s.dueAt} /> : '—') },
          ]}
        />
      ) : null}
      <ErrorAlert error={stages.error ?? mine.error} />
      {(mine.data ?? []).map((a) => (
        <Decide key={a.id} a={a} />
      ))}
      {c.status === 'awaiting_approval' && can.isOwner ? <Box color="text-body-secondary">Awaiting approval: someone other than you decides each stage (four eyes).</Box> : null}
      {proposable ? <Propose /> : null}
      {sendable ? <SendFinalResponse /> : null}
      {c.status === 'resolved' && can.close ? <Close /> : null}
      {c.closedAt ? <Box>Closed {formatTime(c.closedAt)}{c.followUpAction ? `; follow-up: ${c.followUpAction}` : ''}</Box> : null}
    </SpaceBetween>
  );
};
