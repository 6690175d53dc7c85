// Escalations: raise one, acknowledge an open one, or record a decision not to escalate a risk, with its justification.
import { useState } from 'react';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import Textarea from '@cloudscape-design/components/textarea';
import type { Schemas } from '../../api';
import { formatTime } from '../../clock';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useCase, useCaseAction } from './caseContext';

type Escalation = Schemas['EscalationSummary'];
const STATUS = { open: 'warning', unacknowledged: 'error', acknowledged: 'success', waived: 'stopped', resolved: 'success' } as const;

const triggerText = (e: Escalation): string => {
  const t = e.trigger;
  if (!t) return 'manual';
  if (t.kind === 'checkpoint') return `${t.percent} % checkpoint`;
  if (t.kind === 'dependency') return 'blocked dependency';
  return t.kind;
};

const Acknowledge = ({ e }: { e: Escalation }) => {
  const { c, reload } = useCase();
  const action = useCaseAction();
  const [note, setNote] = useState('');
  return (
    <form onSubmit={(ev) => (ev.preventDefault(), void action.run((api, headers) => api.POST('/v1/complaints/{id}/escalations/{escalationId}/acknowledgement', { params: { path: { id: c.id, escalationId: e.id } }, headers, body: note.trim() ? { note: note.trim() } : {} })))}>
      <SpaceBetween size="xs">
        <ErrorAlert error={action.error} onReload={reload} onDismiss={action.clear} />
        <SpaceBetween size="xs" direction="horizontal" alignItems="end">
          <FormField label="Note (what you will do)">
            <Input value={note} onChange={(ev) => setNote(ev.detail.value)} ariaLabel={`Acknowledgement note for ${triggerText(e)}`} />
          </FormField>
          <Button formAction="submit" loading={action.pending} ariaLabel={`Acknowledge escalation: ${triggerText(e)}`}>
            Acknowledge
          </Button>
        </SpaceBetween>
      </SpaceBetween>
    </form>
  );
};

const Waive = () => {
  const { c, reload } = useCase();
  const action = useCaseAction();
  // Only a reached checkpoint raised a risk that can be waived.
  const percents = c.checkpoints.filter((k) => k.firedAt).map((k) => String(k.percent));
  const [checkpoint, setCheckpoint] = useState(percents[0] ?? '50');
  const [justification, setJustification] = useState('');
  const submit = async () => {
    if (await action.run((api, headers) => api.POST('/v1/complaints/{id}/escalation-waivers', { params: { path: { id: c.id } }, headers, body: { checkpoint: Number(checkpoint) as 50 | 75 | 90 | 100, justification: justification.trim() } }))) setJustification('');
  };
  return (
    <form onSubmit={(e) => (e.preventDefault(), void submit())}>
      <Container header={<Header variant="h3" description="A recorded decision not to escalate a raised risk; the justification is required and audited.">Waive an escalation</Header>}>
        <SpaceBetween size="s">
          <ErrorAlert error={action.error} onReload={reload} onDismiss={action.clear} />
          <FormField label="Checkpoint">
            <Select selectedOption={{ value: checkpoint, label: `${checkpoint} %` }} options={percents.map((p) => ({ value: p, label: `${p} %` }))} onChange={(e) => setCheckpoint(e.detail.selectedOption.value ?? '50')} ariaLabel="Checkpoint to waive" />
          </FormField>
          <FormField label="Waiver justification">
            <Textarea value={justification} onChange={(e) => setJustification(e.detail.value)} ariaLabel="Waiver justification" rows={2} />
          </FormField>
          <Button formAction="submit" disabled={!justification.trim()} loading={action.pending}>
            Record waiver
          </Button>
        </SpaceBetween>
      </Container>
    </form>
  );
};

const Raise = () => {
  const { c, reload } = useCase();
  const action = useCaseAction();
  const [reason, setReason] = useState('');
  const submit = async () => {
    if (await action.run((api, headers) => api.POST('/v1/complaints/{id}/escalations', { params: { path: { id: c.id } }, headers, body: { reason: reason.trim() } }))) setReason('');
  };
  return (
    <form onSubmit={(e) => (e.preventDefault(), void submit())}>
      <Container header={<Header variant="h3">Escalate this case</Header>}>
        <SpaceBetween size="s">
          <ErrorAlert error={action.error} onReload={reload} onDismiss={action.clear} />
          <FormField label="Escalation reason">
            <Textarea value={reason} onChange={(e) => setReason(e.detail.value)} ariaLabel="Escalation reason" rows={2} />
          </FormField>
          <Button formAction="submit" disabled={!reason.trim()} loading={action.pending}>
            Escalate
          </Button>
        </SpaceBetween>
      </Container>
    </form>
  );
};

export const EscalationsTab = () => {
  const { c, can } = useCase();
  const live = c.status === 'open' || c.status === 'awaiting_approval';
  return (
    <SpaceBetween size="l">
      <Table<Escalation>
        header={<Header variant="h2">Escalations</Header>}
        ariaLabels={{ tableLabel: 'Escalations' }}
        items={c.escalations}
        trackBy="id"
        wrapLines
        empty={<Box>No escalations.</Box>}
        columnDefinitions={[
          { id: 'at', header: 'Raised', cell: (e) => formatTime(e.at) },
          { id: 'trigger', header: 'Trigger', cell: (e) => triggerText(e), isRowHeader: true },
          { id: 'reason', header: 'Reason', cell: (e) => e.reason },
          { id: 'level', header: 'Level', cell: (e) => e.level ?? 1 },
          { id: 'status', header: 'Status', cell: (e) => <StatusIndicator type={STATUS[e.status ?? 'open']}>{e.status ?? 'open'}</StatusIndicator> },
          ...(can.manageEscalations
            ? [{ id: 'act', header: 'Action', cell: (e: Escalation) => (e.status === 'open' || e.status === 'unacknowledged' || !e.status ? <Acknowledge e={e} /> : null) }]
            : []),
        ]}
      />
      {c.waivers?.length ? (
        <Table
          header={<Header variant="h2">Waivers</Header>}
          ariaLabels={{ tableLabel: 'Waivers' }}
          items={c.waivers}
          wrapLines
          columnDefinitions={[
            { id: 'cp', header: 'Checkpoint', cell: (w) => `${String(w.checkpoint)} %`, isRowHeader: true },
            { id: 'by', header: 'By', cell: (w) => `${w.waivedBy}, ${formatTime(w.waivedAt)}` },
            { id: 'why', header: 'Justification', cell: (w) => w.justification },
          ]}
        />
      ) : null}
      {live && can.escalate ? <Raise /> : null}
      {live && can.manageEscalations && c.checkpoints.some((k) => k.firedAt) ? <Waive /> : null}
    </SpaceBetween>
  );
};
