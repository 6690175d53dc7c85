// Tasks: investigation tasks and cross-team dependencies; create, block with a reason, complete with findings.
import { useState } from 'react';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import Textarea from '@cloudscape-design/components/textarea';
import { unwrap, useApiQuery, type Schemas } from '../../api';
import { formatTime } from '../../clock';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useCase, useCaseAction } from './caseContext';

type Task = Schemas['Task'];
const STATUS = { open: 'in-progress', blocked: 'warning', done: 'success' } as const;

const NewTask = () => {
  const { c, reload } = useCase();
  const action = useCaseAction();
  const [title, setTitle] = useState('');
  const [team, setTeam] = useState('');
  const submit = async () => {
    const done = await action.run((api, headers) => api.POST('/v1/complaints/{id}/tasks', { params: { path: { id: c.id } }, headers, body: { title: title.trim(), team: team.trim() } }));
    if (done) {
      setTitle('');
      setTeam('');
    }
  };
  return (
    <form onSubmit={(e) => (e.preventDefault(), void submit())}>
      <Form
        actions={
          <Button variant="primary" formAction="submit" disabled={!title.trim() || !team.trim()} loading={action.pending}>
            Create task
          </Button>
        }
      >
        <Container header={<Header variant="h3">New task</Header>}>
          <SpaceBetween size="s">
            <ErrorAlert error={action.error} onReload={reload} onDismiss={action.clear} />
            <FormField label="Title">
              <Input value={title} onChange={(e) => setTitle(e.detail.value)} ariaLabel="Task title" />
            </FormField>
            <FormField label="Team" description="The team asked to act (a cross-team dependency)">
              <Input value={team} onChange={(e) => setTeam(e.detail.value)} ariaLabel="Task team" />
            </FormField>
          </SpaceBetween>
        </Container>
      </Form>
    </form>
  );
};

const UpdateTask = ({ task, kind, onDone }: { task: Task; kind: 'block' | 'complete'; onDone: () => void }) => {
  const { c, reload } = useCase();
  const action = useCaseAction();
  const [text, setText] = useState('');
  const submit = async () => {
    const body: Schemas['PatchTask'] = kind === 'block' ? { status: 'blocked', blockedReason: text.trim() } : { status: 'done', findings: text.trim() };
    if (await action.run((api, headers) => api.PATCH('/v1/complaints/{id}/tasks/{taskId}', { params: { path: { id: c.id, taskId: task.id } }, headers, body }))) onDone();
  };
  const label = kind === 'block' ? 'Why is it blocked?' : 'Findings';
  return (
    <form onSubmit={(e) => (e.preventDefault(), void submit())}>
      <Container header={<Header variant="h3">{kind === 'block' ? `Block “${task.title}”` : `Complete “${task.title}”`}</Header>}>
        <SpaceBetween size="s">
          <ErrorAlert error={action.error} onReload={reload} onDismiss={action.clear} />
          <FormField label={label}>
            <Textarea value={text} onChange={(e) => setText(e.detail.value)} ariaLabel={label} rows={2} />
          </FormField>
          <SpaceBetween size="xs" direction="horizontal">
            <Button variant="primary" formAction="submit" disabled={!text.trim()} loading={action.pending}>
              {kind === 'block' ? 'Mark blocked' : 'Mark done'}
            </Button>
            <Button formAction="none" onClick={onDone}>
              Cancel
            </Button>
          </SpaceBetween>
        </SpaceBetween>
      </Container>
    </form>
  );
};

export const TasksTab = () => {
  const { c, rev, can } = useCase();
  const q = useApiQuery((api) => unwrap(api.GET('/v1/complaints/{id}/tasks', { params: { path: { id: c.id }, query: { limit: 100 } } })), [c.id, rev]);
  const [editing, setEditing] = useState<{ taskId: string; kind: 'block' | 'complete' }>();
  const task = q.data?.items.find((t) => t.id === editing?.taskId);
  const workable = can.tasks && (c.status === 'open' || c.status === 'awaiting_approval');
  return (
    <SpaceBetween size="l">
      <ErrorAlert error={q.error} />
      <Table<Task>
        header={<Header variant="h2">Tasks</Header>}
        ariaLabels={{ tableLabel: 'Tasks' }}
        loading={q.loading && !q.data}
        items={q.data?.items ?? []}
        trackBy="id"
        empty={<Box>No tasks yet.</Box>}
        columnDefinitions={[
          { id: 'title', header: 'Title', cell: (t) => t.title, isRowHeader: true },
          { id: 'team', header: 'Team', cell: (t) => t.team },
          {
            id: 'status',
            header: 'Status',
            cell: (t) => (
              <StatusIndicator type={STATUS[t.status]}>
                {t.status}
                {t.status === 'blocked' && t.blockedReason ? `: ${t.blockedReason}` : ''}
                {t.blockedSince ? ` (since ${formatTime(t.blockedSince)})` : ''}
              </StatusIndicator>
            ),
          },
          { id: 'findings', header: 'Findings', cell: (t) => t.findings ?? '—' },
          ...(workable
            ? [
                {
                  id: 'actions',
                  header: 'Actions',
                  cell: (t: Task) =>
                    t.status === 'done' ? null : (
                      <SpaceBetween size="xs" direction="horizontal">
                        {t.status !== 'blocked' ? (
                          <Button variant="inline-link" ariaLabel={`Block ${t.title}`} onClick={() => setEditing({ taskId: t.id, kind: 'block' })}>
                            Block…
                          </Button>
                        ) : null}
                        <Button variant="inline-link" ariaLabel={`Complete ${t.title}`} onClick={() => setEditing({ taskId: t.id, kind: 'complete' })}>
                          Complete…
                        </Button>
                      </SpaceBetween>
                    ),
                },
              ]
            : []),
        ]}
      />
      {task && editing ? <UpdateTask key={`${task.id}-${editing.kind}`} task={task} kind={editing.kind} onDone={() => setEditing(undefined)} /> : null}
      {workable ? <NewTask /> : null}
    </SpaceBetween>
  );
};
