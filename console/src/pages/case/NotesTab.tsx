// Notes: the evidence log's text entries (call notes, customer statements, policy references, findings).
import { useState } from 'react';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import Textarea from '@cloudscape-design/components/textarea';
import { unwrap, useApiQuery, type Schemas } from '../../api';
import { formatTime } from '../../clock';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useCase, useCaseAction } from './caseContext';

type Kind = Schemas['CreateNote']['kind'];
const KINDS: Kind[] = ['call_note', 'customer_statement', 'policy_reference', 'finding'];
const label = (k: string) => k.replace(/_/g, ' ');

export const NotesTab = () => {
  const { c, rev, can, reload } = useCase();
  const q = useApiQuery((api) => unwrap(api.GET('/v1/complaints/{id}/notes', { params: { path: { id: c.id }, query: { limit: 100 } } })), [c.id, rev]);
  const action = useCaseAction();
  const [kind, setKind] = useState<Kind>('call_note');
  const [body, setBody] = useState('');
  const submit = async () => {
    if (await action.run((api, headers) => api.POST('/v1/complaints/{id}/notes', { params: { path: { id: c.id } }, headers, body: { kind, body: body.trim() } }))) setBody('');
  };
  return (
    <SpaceBetween size="l">
      <ErrorAlert error={q.error} />
      <Table<Schemas['Note']>
        header={<Header variant="h2">Notes</Header>}
        ariaLabels={{ tableLabel: 'Notes' }}
        loading={q.loading && !q.data}
        items={q.data?.items ?? []}
        trackBy="id"
        wrapLines
        empty={<Box>No notes yet.</Box>}
        columnDefinitions={[
          { id: 'at', header: 'When', cell: (n) => formatTime(n.createdAt), isRowHeader: true },
          { id: 'kind', header: 'Kind', cell: (n) => label(n.kind) },
          { id: 'author', header: 'Author', cell: (n) => n.authorId },
          { id: 'body', header: 'Text', cell: (n) => n.body },
        ]}
      />
      {can.notes ? (
        <form onSubmit={(e) => (e.preventDefault(), void submit())}>
          <Container header={<Header variant="h3">Add a note</Header>}>
            <SpaceBetween size="s">
              <ErrorAlert error={action.error} onReload={reload} onDismiss={action.clear} />
              <FormField label="Kind">
                <Select selectedOption={{ value: kind, label: label(kind) }} options={KINDS.map((k) => ({ value: k, label: label(k) }))} onChange={(e) => setKind(e.detail.selectedOption.value as Kind)} ariaLabel="Note kind" />
              </FormField>
              <FormField label="Note text">
                <Textarea value={body} onChange={(e) => setBody(e.detail.value)} ariaLabel="Note text" rows={3} />
              </FormField>
              <Button variant="primary" formAction="submit" disabled={!body.trim()} loading={action.pending}>
                Add note
              </Button>
            </SpaceBetween>
          </Container>
        </form>
      ) : null}
    </SpaceBetween>
  );
};
