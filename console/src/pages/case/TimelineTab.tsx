// Timeline: every audit event, oldest first, with the hash chain's verdict ("verified" or "broken at event N").
import { useState } from 'react';
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { unwrap, useApiQuery, type Schemas } from '../../api';
import { formatTime } from '../../clock';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useCase } from './caseContext';

type AuditEvent = Schemas['AuditEvent'];

/** A short reading of an event's data: its scalar members, never the whole JSON. */
const summary = (e: AuditEvent): string =>
  Object.entries(e.data)
    .filter(([, v]) => ['string', 'number', 'boolean'].includes(typeof v))
    .slice(0, 4)
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(' · ');

export const TimelineTab = () => {
  const { c, rev } = useCase();
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const q = useApiQuery((api) => unwrap(api.GET('/v1/complaints/{id}/timeline', { params: { path: { id: c.id }, query: { limit: 100, ...(cursor ? { cursor } : {}) } } })), [c.id, rev, cursor]);
  const chain = q.data?.chain;
  return (
    <SpaceBetween size="l">
      <ErrorAlert error={q.error} />
      {chain ? (
        chain.valid ? (
          <Alert type="success" header="Audit chain verified">
            <span data-testid="chain-verdict">verified</span>: {chain.length} events, each hash covering the one before (head {chain.head.slice(0, 12)}…).
          </Alert>
        ) : (
          <Alert type="error" header="Audit chain broken">
            <span data-testid="chain-verdict">broken at event {chain.firstBrokenSeq ?? '?'}</span>
            {chain.problem ? `: ${chain.problem}` : ''}
          </Alert>
        )
      ) : null}
      <Table<AuditEvent>
        header={
          <Header
            variant="h2"
            counter={q.data ? `(${q.data.items.length})` : ''}
            actions={
              <SpaceBetween size="xs" direction="horizontal">
                {cursors.length ? <Button onClick={() => setCursors([])}>First events</Button> : null}
                {q.data?.nextCursor ? <Button onClick={() => setCursors((cs) => [...cs, q.data?.nextCursor ?? ''])}>Later events</Button> : null}
              </SpaceBetween>
            }
          >
            Timeline
          </Header>
        }
        ariaLabels={{ tableLabel: 'Timeline' }}
        loading={q.loading && !q.data}
        items={q.data?.items ?? []}
        trackBy="seq"
        wrapLines
        empty={<Box>No events.</Box>}
        columnDefinitions={[
          { id: 'seq', header: '#', cell: (e) => e.seq },
          { id: 'at', header: 'When', cell: (e) => formatTime(e.at) },
          { id: 'action', header: 'Action', cell: (e) => e.action, isRowHeader: true },
          { id: 'actor', header: 'Actor', cell: (e) => e.actor },
          { id: 'data', header: 'Details', cell: (e) => (e.redaction ? `redacted (${e.redaction.reason})` : summary(e)) },
        ]}
      />
    </SpaceBetween>
  );
};
