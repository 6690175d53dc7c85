// The local workflow engine's store in the embedded stack's LOCAL table (DynamoDB Local, key schema LOCAL_TABLE), so
// that approval and escalation executions survive a restart of `npm start`. Every key starts with `WF#`:
//   WF#EXECUTION#<executionId> / EXECUTION   the execution: workflow, input, status, states entered, outcome
//   WF#RUNNING / <executionId>                 one item per running execution (what a restart resumes: one Query)
//   WF#TASK / <taskToken>                      a callback task waiting for its token (raw state input, payload, timers)
//   WF#TOKEN#<taskToken> / TOKEN               a token that no longer waits, and why (late calls after a restart)
// JSON values (inputs, payloads, outputs) are stored as JSON strings, exactly as given. Never deployed.
import { GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ClosedHow, StoredExecution, StoredTask, WorkflowStore } from '../../workflows/local/store';

export const workflowKeys = {
  execution: (executionId: string) => ({ PK: `WF#EXECUTION#${executionId}`, SK: 'EXECUTION' }),
  running: (executionId: string) => ({ PK: 'WF#RUNNING', SK: executionId }),
  task: (taskToken: string) => ({ PK: 'WF#TASK', SK: taskToken }),
  token: (taskToken: string) => ({ PK: `WF#TOKEN#${taskToken}`, SK: 'TOKEN' }),
} as const;

interface ExecutionItem {
  PK: string;
  SK: string;
  executionId: string;
  workflow: string;
  input: string;
  status: StoredExecution['status'];
  statesEntered: string[];
  startedAt: number;
  endedAt?: number;
  outcome?: string;
}

interface TaskItem extends Omit<StoredTask, 'stateInput' | 'payload'> {
  PK: string;
  SK: string;
  stateInput: string;
  payload: string;
}

const executionItem = (e: StoredExecution): ExecutionItem => ({
  ...workflowKeys.execution(e.executionId),
  executionId: e.executionId,
  workflow: e.workflow,
  input: JSON.stringify(e.input),
  status: e.status,
  statesEntered: e.statesEntered,
  startedAt: e.startedAt,
  ...(e.endedAt !== undefined ? { endedAt: e.endedAt } : {}),
  ...(e.outcome ? { outcome: JSON.stringify(e.outcome) } : {}),
});

const fromExecutionItem = (i: ExecutionItem): StoredExecution => ({
  executionId: i.executionId,
  workflow: i.workflow,
  input: JSON.parse(i.input) as StoredExecution['input'],
  status: i.status,
  statesEntered: i.statesEntered ?? [],
  startedAt: i.startedAt,
  ...(i.endedAt !== undefined ? { endedAt: i.endedAt } : {}),
  ...(i.outcome ? { outcome: JSON.parse(i.outcome) as NonNullable<StoredExecution['outcome']> } : {}),
});

const fromTaskItem = ({ PK: _pk, SK: _sk, stateInput, payload, ...task }: TaskItem): StoredTask => ({
  ...task,
  stateInput: JSON.parse(stateInput) as StoredTask['stateInput'],
  payload: JSON.parse(payload) as StoredTask['payload'],
});

export class DynamoWorkflowStore implements WorkflowStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async executionStarted(execution: StoredExecution): Promise<void> {
    await this.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: this.tableName, Item: executionItem(execution) } },
          { Put: { TableName: this.tableName, Item: { ...workflowKeys.running(execution.executionId), workflow: execution.workflow } } },
        ],
      }),
    );
  }

  async taskWaiting(task: StoredTask, statesEntered: string[]): Promise<void> {
    const item: TaskItem = { ...workflowKeys.task(task.taskToken), ...task, stateInput: JSON.stringify(task.stateInput), payload: JSON.stringify(task.payload) };
    await this.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: this.tableName, Item: item } },
          {
            Update: {
              TableName: this.tableName,
              Key: workflowKeys.execution(task.executionId),
              UpdateExpression: 'SET statesEntered = :s',
              ConditionExpression: 'attribute_exists(PK)',
              ExpressionAttributeValues: { ':s': statesEntered },
            },
          },
        ],
      }),
    );
  }

  async taskClosed(task: Pick<StoredTask, 'taskToken' | 'executionId'>, how: ClosedHow): Promise<void> {
    await this.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Delete: { TableName: this.tableName, Key: workflowKeys.task(task.taskToken) } },
          { Put: { TableName: this.tableName, Item: { ...workflowKeys.token(task.taskToken), executionId: task.executionId, closed: how } } },
        ],
      }),
    );
  }

  async executionEnded(execution: StoredExecution): Promise<void> {
    await this.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: this.tableName, Item: executionItem(execution) } },
          { Delete: { TableName: this.tableName, Key: workflowKeys.running(execution.executionId) } },
        ],
      }),
    );
  }

  async getExecution(executionId: string): Promise<StoredExecution | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: workflowKeys.execution(executionId), ConsistentRead: true }));
    return out.Item ? fromExecutionItem(out.Item as ExecutionItem) : undefined;
  }

  async runningExecutions(): Promise<StoredExecution[]> {
    const markers = await this.query('WF#RUNNING');
    const executions = await Promise.all(markers.map((m) => this.getExecution(m.SK as string)));
    return executions.filter((e): e is StoredExecution => e?.status === 'running').sort((a, b) => a.startedAt - b.startedAt);
  }

  async pendingTasks(): Promise<StoredTask[]> {
    return (await this.query('WF#TASK')).map((i) => fromTaskItem(i as unknown as TaskItem)).sort((a, b) => a.startedAt - b.startedAt);
  }

  async closedToken(taskToken: string): Promise<ClosedHow | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: workflowKeys.token(taskToken), ConsistentRead: true }));
    return (out.Item as { closed?: ClosedHow } | undefined)?.closed;
  }

  private async query(pk: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }
}
