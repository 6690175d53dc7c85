// Overview: what the customer said, the acknowledgement, and the triage suggestions to accept or override with a reason.
import { useState } from 'react';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import type { Schemas } from '../../api';
import { formatTime } from '../../clock';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useCase, useCaseAction } from './caseContext';

type Field = 'category' | 'severity' | 'regulatory' | 'vulnerable';
type Suggestion = Schemas['TriageFieldSuggestion'];
const VALUES: Record<Field, readonly (string | boolean)[]> = {
  category: ['product_issue', 'service_delay', 'billing', 'policy', 'agent_interaction', 'other'],
  severity: ['low', 'medium', 'high', 'critical'],
  regulatory: [true, false],
  vulnerable: [true, false],
};
const show = (v: unknown) => (typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v).replace(/_/g, ' '));

const TriageRow = ({ field, s }: { field: Field; s: Suggestion }) => {
  const { c, can, reload } = useCase();
  const action = useCaseAction();
  const [override, setOverride] = useState<string | boolean>(s.value);
  const [reason, setReason] = useState('');
  const [overriding, setOverriding] = useState(false);
  const decide = (value: string | boolean, why?: string) =>
    action.run((api, headers) =>
      api.POST('/v1/complaints/{id}/triage/decisions', {
        params: { path: { id: c.id } },
        headers,
        body: { field, value, ...(why ? { reason: why } : {}) } as Schemas['TriageDecisionBody'],
      }),
    );
  return (
    <SpaceBetween size="xs">
      <ErrorAlert error={action.error} onReload={reload} onDismiss={action.clear} />
      {s.decision ? (
        <StatusIndicator type="success">
          {s.decision.kind} {show(s.decision.value)} by {s.decision.by}
          {s.decision.reason ? `: ${s.decision.reason}` : ''}
        </StatusIndicator>
      ) : can.triage ? (
        <SpaceBetween size="xs" direction="horizontal" alignItems="end">
          <Button onClick={() => void decide(s.value)} loading={action.pending} ariaLabel={`Accept ${field} suggestion`}>
            Accept
          </Button>
          {overriding ? (
            <>
              <FormField label={`New ${field}`}>
                <Select
                  selectedOption={{ value: String(override), label: show(override) }}
                  options={VALUES[field].map((v) => ({ value: String(v), label: show(v) }))}
                  onChange={(e) => setOverride(typeof s.value === 'boolean' ? e.detail.selectedOption.value === 'true' : (e.detail.selectedOption.value ?? ''))}
                />
              </FormField>
              <FormField label="Reason">
                <Input value={reason} onChange={(e) => setReason(e.detail.value)} ariaLabel={`Reason to override ${field}`} />
              </FormField>
              <Button variant="primary" disabled={!reason.trim()} loading={action.pending} onClick={() => void decide(override, reason.trim())}>
                Save override
              </Button>
            </>
          ) : (
            <Button onClick={() => setOverriding(true)} ariaLabel={`Override ${field} suggestion`}>
              Override…
            </Button>
          )}
        </SpaceBetween>
      ) : (
        <Box color="text-body-secondary">{s.applied ? 'applied' : 'not applied'}</Box>
      )}
    </SpaceBetween>
  );
};

const Acknowledgement = () => {
  const { c, can, reload } = useCase();
  const action = useCaseAction();
  if (c.acknowledgedAt) return <StatusIndicator type="success">Acknowledged {formatTime(c.acknowledgedAt)}</StatusIndicator>;
  return (
    <SpaceBetween size="xs">
      <ErrorAlert error={action.error} onReload={reload} onDismiss={action.clear} />
      <StatusIndicator type="pending">Not acknowledged{c.acknowledgementDueAt ? ` (due ${formatTime(c.acknowledgementDueAt)})` : ''}</StatusIndicator>
      {can.acknowledge && c.status === 'open' ? (
        <Button onClick={() => void action.run((api, headers) => api.POST('/v1/complaints/{id}/acknowledgement', { params: { path: { id: c.id } }, headers, body: { channel: 'email' } }))} loading={action.pending}>
          Record acknowledgement sent
        </Button>
      ) : null}
    </SpaceBetween>
  );
};

export const OverviewTab = () => {
  const { c } = useCase();
  const fields = c.triage?.fields;
  return (
    <SpaceBetween size="l">
      <Container header={<Header variant="h2">Complaint</Header>}>
        <ColumnLayout columns={2} variant="text-grid">
          <SpaceBetween size="s">
            <Box variant="awsui-key-label">Description</Box>
            <Box>{c.description}</Box>
          </SpaceBetween>
          <KeyValuePairs
            columns={2}
            items={[
              { label: 'Product', value: c.product },
              { label: 'Channel', value: c.channel },
              { label: 'Severity', value: c.severity },
              { label: 'Alleged loss', value: c.allegedLoss ? `${c.allegedLoss.amount} ${c.allegedLoss.currency}` : '—' },
              { label: 'Customer id', value: c.customer.id },
              { label: 'Acknowledgement', value: <Acknowledgement /> },
            ]}
          />
        </ColumnLayout>
      </Container>
      <Table
        header={<Header variant="h2" description={c.triage ? `Model ${c.triage.modelId} ${c.triage.modelVersion}; suggestions at or above ${Math.round(c.triage.threshold * 100)} % confidence apply themselves` : undefined}>Triage suggestions</Header>}
        ariaLabels={{ tableLabel: 'Triage suggestions' }}
        items={fields ? (Object.keys(VALUES) as Field[]).map((f) => ({ field: f, s: fields[f] })) : []}
        empty={<Box>{c.triage?.status === 'unavailable' ? `Triage unavailable: ${c.triage.unavailableReason ?? 'no model answered'}` : 'No triage suggestions for this case.'}</Box>}
        columnDefinitions={[
          { id: 'field', header: 'Field', cell: (r) => r.field, isRowHeader: true },
          { id: 'value', header: 'Suggestion', cell: (r) => show(r.s.value) },
          { id: 'confidence', header: 'Confidence', cell: (r) => `${Math.round(r.s.confidence * 100)} %` },
          { id: 'decision', header: 'Decision', cell: (r) => <TriageRow field={r.field} s={r.s} /> },
        ]}
      />
    </SpaceBetween>
  );
};
