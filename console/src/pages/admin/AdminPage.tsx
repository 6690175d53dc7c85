// Admin: webhook subscriptions with their deliveries (every attempt), and the day's refused inbound emails.
import { useState } from 'react';
import Box from '@cloudscape-design/components/box';
import Container from '@cloudscape-design/components/container';
import DatePicker from '@cloudscape-design/components/date-picker';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import Tabs from '@cloudscape-design/components/tabs';
import { unwrap, useApiQuery, type Schemas } from '../../api';
import { formatTime, useApiNow } from '../../clock';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useSession } from '../../session';

type Webhook = Schemas['Webhook'];
type Delivery = Schemas['WebhookDelivery'];

const Deliveries = ({ webhook }: { webhook: Webhook }) => {
  const q = useApiQuery((c) => unwrap(c.GET('/v1/webhooks/{id}/deliveries', { params: { path: { id: webhook.id }, query: { limit: 50 } } })), [webhook.id]);
  return (
    <>
      <ErrorAlert error={q.error} />
      <Table<Delivery>
        variant="container"
        header={<Header variant="h2" description={webhook.url}>Deliveries</Header>}
        loading={q.loading}
        items={q.data?.items ?? []}
        columnDefinitions={[
          { id: 'event', header: 'Event', cell: (d) => d.eventType },
          { id: 'case', header: 'Case', cell: (d) => d.caseId },
          { id: 'status', header: 'Status', cell: (d) => <StatusIndicator type={d.status === 'delivered' ? 'success' : d.status === 'dead_lettered' ? 'error' : 'pending'}>{d.status}</StatusIndicator> },
          { id: 'attempts', header: 'Attempts', cell: (d) => d.attempts.map((a) => `#${a.attempt} ${a.statusCode ?? a.errorClass ?? '—'} ${a.latencyMs} ms`).join(', ') || '—' },
          { id: 'next', header: 'Next attempt', cell: (d) => formatTime(d.nextAttemptAt ?? undefined) },
          { id: 'created', header: 'Created', cell: (d) => formatTime(d.createdAt) },
        ]}
        empty="No deliveries yet"
      />
    </>
  );
};

const Webhooks = () => {
  const q = useApiQuery((c) => unwrap(c.GET('/v1/webhooks', { params: { query: { limit: 50 } } })), []);
  const [selected, setSelected] = useState<Webhook | undefined>();
  return (
    <SpaceBetween size="m">
      <ErrorAlert error={q.error} />
      <Table<Webhook>
        variant="container"
        header={<Header variant="h2">Webhook subscriptions</Header>}
        loading={q.loading}
        items={q.data?.items ?? []}
        selectionType="single"
        selectedItems={selected ? [selected] : []}
        onSelectionChange={({ detail }) => setSelected(detail.selectedItems[0])}
        trackBy="id"
        ariaLabels={{ selectionGroupLabel: 'Subscriptions', itemSelectionLabel: (_, w) => `Subscription ${w.url}`, allItemsSelectionLabel: () => 'all' }}
        columnDefinitions={[
          { id: 'url', header: 'URL', cell: (w) => w.url },
          { id: 'events', header: 'Events', cell: (w) => w.eventTypes.join(', ') },
          { id: 'status', header: 'Status', cell: (w) => <StatusIndicator type={w.status === 'active' ? 'success' : 'stopped'}>{w.status}</StatusIndicator> },
          { id: 'created', header: 'Created', cell: (w) => `${formatTime(w.createdAt)} by ${w.createdBy}` },
        ]}
        empty={<Box textAlign="center">No subscriptions</Box>}
      />
      {selected ? <Deliveries webhook={selected} /> : null}
    </SpaceBetween>
  );
};

const Rejections = ({ today }: { today: string }) => {
  const [day, setDay] = useState(today);
  const q = useApiQuery((c) => unwrap(c.GET('/v1/intake/rejections', { params: { query: { day, limit: 100 } } })), [day]);
  return (
    <SpaceBetween size="m">
      <ErrorAlert error={q.error} />
      <Container>
        <FormField label="Day received (UTC)">
          <DatePicker value={day} onChange={({ detail }) => detail.value && setDay(detail.value)} placeholder="YYYY/MM/DD"
            ariaLabel="Day received"
            i18nStrings={{ openCalendarAriaLabel: (selected) => (selected ? `Choose the day, selected ${selected}` : 'Choose the day'), previousMonthAriaLabel: 'Previous month', nextMonthAriaLabel: 'Next month', todayAriaLabel: 'Today' }}
          />
        </FormField>
      </Container>
      <Table<Schemas['InboundRejection']>
        variant="container"
        header={<Header variant="h2">Refused inbound email</Header>}
        loading={q.loading}
        items={q.data?.items ?? []}
        columnDefinitions={[
          { id: 'received', header: 'Received', cell: (r) => formatTime(r.receivedAt) },
          { id: 'reason', header: 'Reason', cell: (r) => r.reason },
          { id: 'from', header: 'From', cell: (r) => r.from ?? '—' },
          { id: 'subject', header: 'Subject', cell: (r) => r.subject ?? '—' },
          { id: 'detail', header: 'Detail', cell: (r) => r.detail },
          { id: 'replay', header: 'Replayed', cell: (r) => (r.replay ? `${r.replay.reference} (${r.replay.outcome})` : '—') },
        ]}
        empty="No email was refused that day"
      />
    </SpaceBetween>
  );
};

const AdminPage = () => {
  const { hasRole } = useSession();
  // Today as the API's clock sees it (local mode's clock moves in tests).
  const now = useApiNow();
  if (now === undefined) return null;
  const today = new Date(now).toISOString().slice(0, 10);
  const tabs = [
    ...(hasRole('admin') ? [{ id: 'webhooks', label: 'Webhooks', content: <Webhooks /> }] : []),
    { id: 'rejections', label: 'Intake rejections', content: <Rejections today={today} /> },
  ];
  return (
    <SpaceBetween size="m">
      <Header variant="h1">Administration</Header>
      <Tabs tabs={tabs} />
    </SpaceBetween>
  );
};

export default AdminPage;
